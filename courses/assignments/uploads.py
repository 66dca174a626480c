"""Files handed in with a work, judged by their content with the library's checks.

`library.uploads.detect_document` recognises a file by its bytes (and refuses web pages, SVG
and scripts whatever their name); here the assignment's own size limit and allowed types are
applied, with messages that speak of the assignment rather than of the library.
"""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from library.uploads import ACCEPTED_EXTENSIONS, FileKind, detect_document

# What a methodist may allow: every kind the library recognises by content.
FILE_TYPE_CHOICES = [(extension, extension.upper()) for extension in ACCEPTED_EXTENSIONS]


def work_file_check(upload, assignment) -> FileKind:
    """The kind of an uploaded file, or a ValidationError the teacher can act on."""
    allowed = assignment.allowed_extensions
    names = ", ".join(extension.upper() for extension in allowed)
    if upload.size > assignment.max_file_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; this assignment accepts files up to %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(assignment.max_file_bytes),
            },
            code="too_large",
        )
    try:
        kind = detect_document(upload)
    except ValidationError as error:
        if error.code in ("empty", "too_large", "zip_bomb"):
            raise
        raise ValidationError(
            _(
                "The content of “%(name)s” is not a type this assignment accepts (%(types)s). "
                "Its name does not matter: the file itself must be one of these."
            )
            % {"name": upload.name, "types": names},
            code="unsupported",
        ) from error
    if kind.extension not in allowed:
        raise ValidationError(
            _("“%(name)s” is a %(kind)s file; this assignment accepts %(types)s.")
            % {"name": upload.name, "kind": kind.label, "types": names},
            code="not_allowed",
        )
    return kind
