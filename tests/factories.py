import factory

from mentorship.models import User


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a profile (the manager creates it) and the password "password-for-tests"."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    password = "password-for-tests"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, **kwargs)
