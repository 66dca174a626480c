"""The platform's notification service: in-app rows, letters now or in a digest, unsubscribe."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lms.notifications import mail as notification_mail
from lms.notifications import registry
from lms.notifications.models import Notification, NotificationPreference
from lms.notifications.registry import Delivery, NotificationKind, register_kind
from lms.notifications.services import notify, preference_set, unsubscribe_token
from lms.notifications.tasks import send_notification_digests
from tests.lms.factories import TeacherFactory

ROUND = "lms.round_opened"
HIDDEN = "tests.sometimes_hidden"


@pytest.fixture
def hidden_kind():
    # A kind whose subject the recipient may not see when the target id is odd.
    register_kind(
        NotificationKind(
            key=HIDDEN,
            label="Sometimes hidden",
            text="Secret %(title)s",
            default_delivery=Delivery.DIGEST,
            visible=lambda user, rows: [row for row in rows if row.target_id % 2 == 0],
        )
    )
    yield HIDDEN
    registry._KINDS.pop(HIDDEN, None)


def test_notify_writes_one_row_per_recipient_and_never_the_actor(teacher):
    others = TeacherFactory.create_batch(3, school=teacher.school)
    written = notify(
        recipients=[teacher, *others, others[0].pk],
        kind=ROUND,
        params={"title": "Autumn"},
        actor=teacher,
    )
    assert written == 3
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        other.pk for other in others
    }


def test_unknown_kind_is_refused(teacher):
    with pytest.raises(ValueError):
        notify(recipients=[teacher], kind="nobody.registered_this")


def test_immediate_letters_are_sent_on_commit_in_the_recipients_language(
    teacher, django_capture_on_commit_callbacks
):
    teacher.preferred_language = "ru"
    teacher.save()
    kazakh = TeacherFactory(preferred_language="kk")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[teacher, kazakh], kind=ROUND, params={"title": "Күз"}, link="/x/")
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(mail.outbox) == 2
    letters = {letter.to[0]: letter for letter in mail.outbox}
    assert "Здравствуйте" in letters[teacher.email].body
    assert "Сәлеметсіз" in letters[kazakh.email].body
    assert "Күз" in letters[teacher.email].body
    assert "/notifications/unsubscribe/" in letters[teacher.email].extra_headers["List-Unsubscribe"]
    assert set(Notification.objects.values_list("mail", flat=True)) == {Notification.Mail.SENT}


def test_in_app_only_sends_no_letter(teacher, django_capture_on_commit_callbacks):
    preference_set(user=teacher, kind=ROUND, delivery=Delivery.IN_APP)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[teacher], kind=ROUND, params={"title": "A"})
    assert mail.outbox == []
    assert Notification.objects.get().mail == Notification.Mail.NONE


def test_digest_sends_one_letter_per_person_with_exactly_their_visible_rows(
    teacher, hidden_kind, monkeypatch
):
    other = TeacherFactory()
    for target in (2, 3, 4):
        notify(
            recipients=[teacher], kind=hidden_kind, params={"title": f"T{target}"}, target_id=target
        )
    notify(recipients=[other], kind=hidden_kind, params={"title": "Other"}, target_id=6)
    connections = []
    real = notification_mail.get_connection
    monkeypatch.setattr(
        notification_mail, "get_connection", lambda: connections.append(1) or real()
    )
    assert send_notification_digests() == 2
    assert len(connections) == 1  # one SMTP connection for the batch
    letters = {letter.to[0]: letter.body for letter in mail.outbox}
    assert "Secret T2" in letters[teacher.email] and "Secret T4" in letters[teacher.email]
    assert "T3" not in letters[teacher.email]  # no longer visible to them
    assert "Other" not in letters[teacher.email]
    assert send_notification_digests() == 0  # each row goes out once


def test_unsubscribe_link_works_signed_out_and_only_for_its_kind(client, teacher, hidden_kind):
    preference_set(user=teacher, kind=hidden_kind, delivery=Delivery.DIGEST)
    url = reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(user_id=teacher.pk, kind=ROUND)]
    )
    assert client.get(url).status_code == 200
    assert not NotificationPreference.objects.filter(kind=ROUND).exists()  # GET changes nothing
    assert client.post(url).status_code == 200
    assert NotificationPreference.objects.get(user=teacher, kind=ROUND).delivery == Delivery.IN_APP
    assert (
        NotificationPreference.objects.get(user=teacher, kind=hidden_kind).delivery
        == Delivery.DIGEST
    )


def test_tampered_unsubscribe_token_is_refused(client, teacher):
    token = unsubscribe_token(user_id=teacher.pk, kind=ROUND)
    response = client.post(reverse("notifications:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    assert not NotificationPreference.objects.exists()


def test_bell_shows_the_unread_count(client, teacher):
    notify(recipients=[teacher], kind=ROUND, params={"title": "A"})
    notify(recipients=[teacher], kind=ROUND, params={"title": "B"})
    client.force_login(teacher)
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'id="notification-count">2' in page


def test_bell_counts_my_unread_notifications_only(client, teacher):
    # The count rides on the query that loads the signed-in user (lms/backends.py).
    for title in "ABC":
        notify(recipients=[teacher], kind=ROUND, params={"title": title})
    notify(recipients=[TeacherFactory()], kind=ROUND, params={"title": "Not mine"})
    first = Notification.objects.filter(recipient=teacher).order_by("pk").first()
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())
    client.force_login(teacher)
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'id="notification-count">2' in page


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, teacher):
    notify(recipients=[teacher], kind=ROUND, params={"title": "A"}, link="/library/")
    notification = Notification.objects.get()
    client.force_login(teacher)
    response = client.get(notification.get_absolute_url())
    assert response.status_code == 302 and response.url == "/library/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_persons_notification_is_404(client, teacher):
    notify(recipients=[TeacherFactory()], kind=ROUND, params={"title": "A"})
    client.force_login(teacher)
    assert client.get(Notification.objects.get().get_absolute_url()).status_code == 404


def test_stranger_is_sent_to_sign_in(client):
    assert client.get(reverse("notifications:list")).status_code == 302


def test_list_hides_rows_the_kind_no_longer_shows(client, teacher, hidden_kind):
    notify(recipients=[teacher], kind=hidden_kind, params={"title": "Odd"}, target_id=1)
    notify(recipients=[teacher], kind=hidden_kind, params={"title": "Even"}, target_id=2)
    client.force_login(teacher)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Secret Even" in page and "Secret Odd" not in page


def test_list_query_count_is_fixed(client, teacher, django_assert_max_num_queries):
    for n in range(40):
        notify(recipients=[teacher], kind=ROUND, params={"title": str(n)})
    client.force_login(teacher)
    # session, user, page count, page rows, the bell's count
    with django_assert_max_num_queries(5):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_preferences_page_saves_each_kind(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    response = client.post(reverse("notifications:preferences"), {ROUND: Delivery.DIGEST})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=teacher, kind=ROUND).delivery == Delivery.DIGEST
