from notifications.checks import vapid_subject


def test_it_warns_of_a_vapid_subject_nobody_can_reach(settings):
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = "private", "public"
    settings.VAPID_SUBJECT = "mailto:attune@localhost"
    assert [warning.id for warning in vapid_subject(None)] == ["notifications.W001"]


def test_it_takes_a_real_mailto_or_https_subject(settings):
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = "private", "public"
    for subject in ("mailto:admin@attune.example.org", "https://attune.example.org/"):
        settings.VAPID_SUBJECT = subject
        assert vapid_subject(None) == []


def test_it_says_nothing_while_push_is_off(settings):
    settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_SUBJECT = "nonsense"
    assert vapid_subject(None) == []
