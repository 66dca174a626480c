"""Date, time and number formats for Ustaz's languages (settings.FORMAT_MODULE_PATH).

Django ships none for Kazakh and writes Kyrgyz and Russian dates with month names ("24 января
2027 г."); Ustaz writes every date in one numeric style, 24.01.2027 and 14:30, in all three, so a
page never mixes two styles and a Kazakh and a Russian teacher read the same thing.
"""
