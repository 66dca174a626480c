"""Readiness reports: a school's round, growth between two rounds, region -> district -> school.

Every figure is an SQL aggregate (GROUP BY); privacy.py withholds any figure that rests on fewer
than five teachers, on the page and in the exports alike.
"""
