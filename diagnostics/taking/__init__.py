"""A teacher taking a diagnosis, and reading the result.

- pages.py: the instrument as the teacher walks through it, one page per area;
- services.py: start, save a draft's answers, submit (and ask for scoring);
- results.py: what the result page shows, read from the scored rows.

Who may open which response or round is in diagnostics/access.py, with the app's other
"may this user see this" rules.
"""
