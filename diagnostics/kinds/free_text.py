"""Free text: the teacher writes what they like; it is kept, shown, and never scored."""

from django.utils.translation import gettext as _

from diagnostics.kinds.base import QuestionKind, read_text


class FreeText(QuestionKind):
    code = "free_text"
    priced = False

    def read(self, question, post, given, problems):
        read_text(question, post, given, problems)

    def fraction(self, question, choices, given):
        return None

    def export_labels(self, question, choices):
        return [("", _("the text as the teacher typed it"))]
