from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The notification service's models live in their own package; imported so Django finds them.
from lms.notifications.models import Notification, NotificationPreference  # noqa: F401
from lms.roles import SCHOOL_ROLES, STAFF_ROLES, Role


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Schools a user may manage: an administrator every school, a head their own."""
        if user.is_authenticated and user.is_administrator:
            return self
        if user.is_authenticated and user.role == Role.SCHOOL_HEAD and user.school_id:
            return self.filter(pk=user.school_id)
        return self.none()


class School(models.Model):
    name = models.CharField(_("name"), max_length=255)
    region = models.CharField(_("region"), max_length=150)
    district = models.CharField(_("district"), max_length=150)
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("The school's official identifier, unique across the system."),
    )

    objects = models.Manager.from_queryset(SchoolQuerySet)()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["region", "district", "name"]
        indexes = [models.Index(fields=["region", "district"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("school-teachers", args=[self.pk])


class UserQuerySet(models.QuerySet):
    def teachers(self):
        return self.filter(role=Role.TEACHER)

    def of_school(self, school):
        return self.filter(school=school)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def normalize_email(self, email):
        # Teachers type their address in any case; one mailbox must be one account.
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email__iexact=(username or "").strip())

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("role", Role.ADMINISTRATOR)
        fields["is_superuser"] = True
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TEACHER)
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    subject = models.CharField(_("subject taught"), max_length=120, blank=True)
    years_of_teaching = models.PositiveSmallIntegerField(
        _("years of teaching"), null=True, blank=True
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unselect this instead of deleting accounts: results stay in the reports."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=sorted(SCHOOL_ROLES)) | Q(school__isnull=False),
                name="school_role_has_school",
                violation_error_message=_("Teachers and school heads must belong to a school."),
            ),
        ]
        indexes = [models.Index(fields=["school", "role"])]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    # The admin and `staff_member_required` ask for is_staff: it follows the role, so it can
    # never disagree with it.
    @property
    def is_staff(self) -> bool:
        return self.is_active and (self.is_superuser or self.role in STAFF_ROLES)

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    # The one role rule for reading across schools: every app asks this, never the roles itself.
    @property
    def reads_every_school(self) -> bool:
        """Methodists and administrators read every school's results, groups and reports; a
        head reads their own school's, a teacher their own."""
        return self.is_administrator or self.role == Role.METHODIST

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class WaitingInvitation(models.Model):
    """An invitation letter the broker could not take when it was asked for: beat's sweeper
    (lms.tasks.send_waiting_invitations, every minute) sends it once the broker is back."""

    user = models.OneToOneField(
        User, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="+"
    )
    base_url = models.CharField(max_length=300)
    language = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invitation waiting to be sent")
        verbose_name_plural = _("invitations waiting to be sent")

    def __str__(self):
        return str(self.user)
