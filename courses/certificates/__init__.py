"""Certificates of completed courses: issued on completion, checked in public, revoked by staff.

A certificate holds a snapshot (the holder's name, the course title and areas in the holder's
language, the hours, the date), so renaming a course never rewrites what was certified and the
public verification page shows exactly what the certificate says, nothing more. The PDF is drawn
from the snapshot on request, with the DejaVu Sans font shipped in `fonts/`.
"""
