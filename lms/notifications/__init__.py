"""Notifications: a platform service every app calls (in-app rows, e-mail now, daily digests).

An app registers its kinds in its AppConfig.ready (`registry.register_kind`) and calls
`services.notify(...)`; `lms` never imports the app back.
"""
