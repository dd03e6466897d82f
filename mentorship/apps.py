from django.apps import AppConfig


def _seen_on_sign_in(sender, request, user, **kwargs):
    # Signing in is activity (User.last_active): every way in (password, email link, two-factor,
    # an import's invitation) ends in Django's login(), which sends this.
    from mentorship.services import user_seen

    user_seen(user=user)


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = "Site and people"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_seen_on_sign_in, dispatch_uid="mentorship.user_seen_on_sign_in")
