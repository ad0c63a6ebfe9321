"""django-modeltranslation's querysets of a model with a QuerySet class of its own share one
class (bpdialogue.translations.share_multilingual_queryset_classes), and behave as before:
translated lookups read the active language's column, a queryset still pickles."""

import pickle

from django.utils import translation
from modeltranslation.manager import MultilingualQuerySet

from meetings.models import Meeting, MeetingQuerySet
from tests.factories import MeetingFactory, StatementFactory


def test_a_model_s_querysets_share_one_multilingual_class(db):
    statement = StatementFactory()
    first, second = Meeting.objects.all(), Meeting.objects.filter(city="Antalya")
    assert type(first) is type(second)
    assert isinstance(first, MeetingQuerySet) and isinstance(first, MultilingualQuerySet)
    # A related manager's queryset (Participant has its own QuerySet class) too.
    assert type(statement.speakers.all()) is type(statement.speakers.all())


def test_querysets_of_a_shared_class_translate_and_pickle(db):
    meeting = MeetingFactory(title_en="Senior Officials Meeting", title_ru="Совещание")
    with translation.override("ru"):
        found = Meeting.objects.filter(title__icontains="Совещ")
        assert '"title_ru"' in str(found.query)
        assert list(found) == [meeting]
    unpickled = pickle.loads(pickle.dumps(Meeting.objects.filter(pk=meeting.pk)))
    assert isinstance(unpickled, MultilingualQuerySet)
    assert list(unpickled) == [meeting]
