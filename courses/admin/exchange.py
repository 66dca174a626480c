"""Course exchange in the admin: "Export as .zip" on the course list, and an import page."""

import tempfile
import zipfile

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.exchange import CourseFormatError, course_export_zip, course_import, upload_read


class CourseImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Course file"),
        help_text=gettext_lazy("A .zip exported from Ustaz (with its files), or a bare .json."),
    )
    publish = forms.BooleanField(
        label=gettext_lazy("Publish at once"),
        required=False,
        help_text=gettext_lazy("Otherwise the course stays a draft for you to review."),
    )


class CourseExchangeMixin:
    """For CourseAdmin: the export action and the import page."""

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="courses_course_import",
            ),
        ] + super().get_urls()

    @admin.action(description=gettext_lazy("Export as .zip (with files)"))
    def export_zip(self, request, queryset):
        courses = list(queryset)
        # Closed by FileResponse once sent.
        out = tempfile.TemporaryFile()  # noqa: SIM115
        if len(courses) == 1:
            course_export_zip(courses[0], out)
            name = f"{courses[0].slug}.zip"
        else:
            # Several courses: one archive holding each course's own .zip.
            with zipfile.ZipFile(out, "w") as bundle:
                for course in courses:
                    with tempfile.TemporaryFile() as one:
                        course_export_zip(course, one)
                        one.seek(0)
                        with bundle.open(f"{course.slug}.zip", "w", force_zip64=True) as target:
                            for chunk in iter(lambda: one.read(1024 * 1024), b""):
                                target.write(chunk)
            name = "courses.zip"
        out.seek(0)
        return FileResponse(out, as_attachment=True, filename=name)

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CourseImportForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            try:
                upload = upload_read(form.cleaned_data["file"])
                try:
                    course = course_import(
                        upload.data,
                        upload=upload,
                        created_by=request.user,
                        published=form.cleaned_data["publish"],
                    )
                finally:
                    upload.close()
            except CourseFormatError as error:
                problems = error.problems
            else:
                self.message_user(
                    request,
                    _("Imported the course “%(title)s”.") % {"title": course},
                    messages.SUCCESS,
                )
                for warning in course.import_warnings:
                    self.message_user(request, warning, messages.WARNING)
                return redirect(reverse("admin:courses_course_change", args=[course.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a course"),
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(
            request,
            "admin/courses/course/import.html",
            context,
            status=400 if problems else 200,
        )
