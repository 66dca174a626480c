from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from lms.models import Notification, School, User


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "district"]
    list_filter = ["region", "district"]
    search_fields = ["name", "code", "region", "district"]


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role", "school")


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ["full_name", "email", "role", "school", "subject", "is_active"]
    list_filter = ["role", "is_active", "school__region", "school__district"]
    list_select_related = ["school"]
    search_fields = ["full_name", "email", "subject", "school__name"]
    ordering = ["full_name"]
    autocomplete_fields = ["school"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Personal details"),
            {"fields": ["full_name", "subject", "years_of_teaching", "preferred_language"]},
        ),
        (_("Role and school"), {"fields": ["role", "school", "is_active", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "role", "school", "password1", "password2"],
            },
        ),
    ]
    filter_horizontal = []


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "created_at", "read_at", "mail"]
    list_filter = ["kind", "mail"]
    raw_id_fields = ["recipient"]
    search_fields = ["recipient__email"]
