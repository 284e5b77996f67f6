"""factory_boy factories with newsroom-shaped defaults; images are made in memory with Pillow."""
import io
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleAuthor, Author, Caption, Photo, Section, Source


def image_file(name="photo.jpg", size=(800, 533), color=(40, 90, 160), fmt="JPEG", marker=0):
    """An in-memory image; a different `marker` gives different pixels (and so a different SHA-256)."""
    image = Image.new("RGB", size, color)
    for bit in range(16):  # the marker's bits as black/white squares along the top edge
        shade = 255 if marker >> bit & 1 else 0
        image.paste((shade, shade, shade), (bit * 16, 0, bit * 16 + 16, 16))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or "correct-horse-battery")
        if create:
            user.save(update_fields=["password"])


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda s: s.name.lower().replace(" ", "-"))


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["slug"]

    name = "Yonhap"
    slug = factory.LazyAttribute(lambda s: s.name.lower())
    attribution = factory.LazyAttribute(lambda s: s.name)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Council approves harbour plan {n}")
    dek = "The vote clears the way for construction next spring."
    body = "<p>The city council voted on Monday to approve the plan.</p><p>Work starts in March.</p>"
    section = factory.SubFactory(SectionFactory, name="Nation")
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, published_at=None)
        scheduled = factory.Trait(published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1)))
        killed = factory.Trait(status=Article.Status.KILLED)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class ArticleAuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleAuthor

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(AuthorFactory)


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    image = factory.Sequence(lambda n: image_file(f"photo{n}.jpg", marker=n))
    caption = "Workers unload containers at the harbour on Monday."
    credit = "AFP-Yonhap"
    width = 800
    height = 533


class CaptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Caption

    article = factory.SubFactory(ArticleFactory)
    photo = factory.SubFactory(PhotoFactory)
    role = Caption.Role.LEAD
