"""The base viewsets every resource builds on: authentication, the access policy, keyset
paging, ETag/Last-Modified with 304s, rate-limit headers, and `If-Match` on writes."""

from __future__ import annotations

import datetime
import hashlib
from abc import ABCMeta, abstractmethod

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Greatest
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import MethodMapper
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from bpdialogue import representations, translations
from bpdialogue.deletions import record_type
from bpdialogue.models import Deletion
from bpdialogue.representations import Representation

from .authentication import ApiKeyAuthentication
from .errors import PreconditionFailed, PreconditionRequired
from .fields import MEETING_MODEL, UidRelatedField
from .pagination import SYNC_FIELD, KeysetPagination
from .parsers import StrictJSONParser
from .permissions import PolicyPermission
from .policy import request_policy
from .renderers import CSVRenderer, OrjsonRenderer, render_json
from .throttling import PartnerRateThrottle

UUID_PATTERN = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


# Every record's bookkeeping fields, last in each representation.
STAMPS = ["created_at", "updated_at", "version"]


def body_etag(body: bytes) -> str:
    return quote_etag(hashlib.sha256(body).hexdigest()[:32])


def representation_etag(data) -> str:
    """The strong validator of a representation: a hash of its JSON form (the bytes sent), so
    a change anywhere in it (a nested statement, a new name) changes the ETag."""
    return body_etag(render_json(data))


class RecordUrlField(serializers.HyperlinkedIdentityField):
    """A record's URL in the API, built by string formatting from one reverse() per
    serializer (per request): reverse() for every row of a list cost more than the row."""

    PLACEHOLDER = "00000000-0000-0000-0000-000000000000"

    def get_url(self, obj, view_name, request, format):
        if format or self.lookup_field != "uid":
            return super().get_url(obj, view_name, request, format)
        template = self.__dict__.get("_template")
        if template is None:
            template = self._template = self.reverse(
                view_name, kwargs={self.lookup_url_kwarg: self.PLACEHOLDER}, request=request
            )
        return template.replace(self.PLACEHOLDER, str(obj.uid))


class ApiModelSerializer(serializers.ModelSerializer):
    """Gives every record its public id and URL, and notes its `updated_at` so the view
    can send a Last-Modified that covers nested records too."""

    id = serializers.UUIDField(source="uid", read_only=True, help_text="Stable public id.")

    # Records without their own endpoint (dated names, identifiers, ...) set this to False.
    with_url = True

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            # A link is null exactly when the foreign key may be (read-only links do not
            # learn this from the model, and the schema must say it).
            source = field.source or name
            if isinstance(field, UidRelatedField) and "." not in source:
                model_field = self.Meta.model._meta.get_field(source)
                field.allow_null = bool(model_field.null)
                # A link to a meeting the caller may not see reads as no link: its uid
                # would tell of the meeting (only optional links can point at one).
                field.hides_unseen_meeting = field.allow_null and (
                    model_field.related_model._meta.label_lower == MEETING_MODEL
                )
        if self.with_url:
            fields["url"] = RecordUrlField(
                view_name=f"api-{self.Meta.model._meta.model_name}-detail",
                lookup_field="uid",
                help_text="This record in the API.",
            )
        return fields

    def to_representation(self, instance):
        modified = self.context.get("modified")
        if modified is not None and getattr(instance, "updated_at", None):
            modified.append(instance.updated_at)
        return super().to_representation(instance)

    @property
    def data(self):
        """A record on its own (a detail, a write's answer; not a row of a list) tells its
        language, the language its originals are written in, and every translation with its
        status (bpdialogue.translations)."""
        data = super().data
        instance = self.instance
        if (
            self.parent is None
            and self.context.get("with_translations")
            and isinstance(instance, models.Model)
            and translations.translated_fields(instance)
        ):
            data.update(translation_block(instance, data))
        return data


def translation_block(instance, data) -> dict:
    """`language`, `authoritative_language` and `translations` of `instance`, as far as its
    representation `data` shows its texts: a text the caller may not read (null in `data`,
    e.g. an unpublished record) is not shown in any language, and a record read as last
    published while it is corrected lists no translations (they are the rows being corrected)."""
    if getattr(instance, "published_record", None) is not None:
        texts = {}
    else:
        texts = {
            name: languages
            for name, languages in translations.translations_of(instance).items()
            if not (name in data and data[name] is None)
        }
    return {
        "language": translation.get_language(),
        "authoritative_language": translations.authoritative_language(instance),
        "translations": texts,
    }


class ApiGenericViewSet(viewsets.GenericViewSet):
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [PolicyPermission]
    throttle_classes = [PartnerRateThrottle]
    pagination_class = KeysetPagination
    filter_backends = [DjangoFilterBackend]
    renderer_classes = [OrjsonRenderer, BrowsableAPIRenderer, CSVRenderer]
    parser_classes = [StrictJSONParser, FormParser, MultiPartParser]
    lookup_field = "uid"
    lookup_value_regex = UUID_PATTERN

    @classmethod
    def get_extra_actions(cls):
        """The `@action` methods, as DRF finds them but without `inspect.getmembers`: that reads
        every attribute of the class, `schema` among them, whose descriptor imports the schema
        class (drf-spectacular's generator, and `django.test` with it) into every web worker
        as the router builds the URL map."""
        attributes = {}
        for klass in reversed(cls.__mro__):
            attributes.update(vars(klass))
        return [
            attributes[name]
            for name in sorted(attributes)
            if isinstance(getattr(attributes[name], "mapping", None), MethodMapper)
        ]

    # The path from the listed model to its meeting when the rows belong to a meeting's
    # record (statements, conclusions, ...): they are seen through AccessPolicy.records and
    # count as modified when the record is published.
    record_meeting_path: str | None = None

    # -- reading ---------------------------------------------------------------------------
    def base_queryset(self) -> models.QuerySet:
        """The model's rows with the joins the serializer needs, before access filtering."""
        return self.queryset.all()

    def visible(self, queryset, policy):
        """Rows this caller may see. Reference data (dialogues, participants, ...) is public."""
        if self.record_meeting_path:
            return policy.records(queryset, self.record_meeting_path)
        return queryset

    def sync_modified(self):
        if self.record_meeting_path:
            return Greatest(
                F("updated_at"),
                F(f"{self.record_meeting_path}__updated_at"),
                output_field=models.DateTimeField(),
            )
        return F("updated_at")

    def get_queryset(self):
        queryset = self.visible(self.base_queryset(), self.policy)
        return queryset.annotate(**{SYNC_FIELD: self.sync_modified()})

    @property
    def policy(self):
        return request_policy(self.request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["policy"] = self.policy
        if not hasattr(self, "_modified"):
            self._modified = []
        context["modified"] = self._modified
        context["with_translations"] = self.action != "list"
        return context

    # -- the response language -------------------------------------------------------------
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.choose_language(request)

    def choose_language(self, request) -> None:
        """`?lang=` when given, else what LanguageMiddleware negotiated (Accept-Language):
        translated texts come in that language, the authoritative text where it has none."""
        available = translations.languages()
        requested = request.query_params.get("lang")
        if requested is not None:
            if requested not in available:
                raise ValidationError(
                    {"lang": [f"A language of this API: {', '.join(available)}."]}
                )
            language = requested
        else:
            language = translation.get_supported_language_variant(
                translation.get_language() or settings.LANGUAGE_CODE
            )
        translation.activate(language)
        request.LANGUAGE_CODE = language

    # -- conditional requests and headers --------------------------------------------------
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(response, Response):
            # Errors are JSON whatever was asked for (a CSV list's error too).
            response.accepted_renderer = OrjsonRenderer()
            response.accepted_media_type = OrjsonRenderer.media_type
            response.renderer_context = self.get_renderer_context()
        for header, value in getattr(request, "_bp_rate_limit", {}).items():
            response[header] = value
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ["Accept-Language"])
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == status.HTTP_200_OK
            and not response.streaming  # files carry their own validators
        ):
            response = self.conditional(request, response)
        return response

    def last_modified(self) -> datetime.datetime | None:
        stamps = list(getattr(self, "_modified", []))
        # A deletion anywhere may remove a row from this answer without touching the rest;
        # only one the caller could see, or the header would tell of hidden records.
        last_deletion = (
            self.policy.deletions(Deletion.objects.all())
            .order_by("-deleted_at")
            .values_list("deleted_at", flat=True)[:1]
        )
        stamps.extend(last_deletion)
        return max(stamps) if stamps else None

    def conditional(self, request, response):
        cached = getattr(response, "representation", None)
        if cached is not None:  # validators stored with the body (the representation cache)
            etag, modified = cached.etag, cached.last_modified
        else:
            if isinstance(response, Response):
                etag = representation_etag(response.data)
                renderer_format = getattr(response.accepted_renderer, "format", "json")
                if renderer_format != "json":
                    etag = f'{etag[:-1]}-{renderer_format}"'
            else:  # a body built outside DRF, e.g. the iCalendar feed
                etag = body_etag(response.content)
            last_modified = self.last_modified()
            modified = last_modified.timestamp() if last_modified else None
        response["ETag"] = etag
        response["Vary"] = "Accept, Authorization, Cookie, Accept-Language"
        if modified:
            response["Last-Modified"] = http_date(modified)
        # Django's evaluation of the preconditions (RFC 9110 13.2.2): If-None-Match compared
        # weakly and before If-Modified-Since; If-Match strongly, as on writes.
        answer = get_conditional_response(
            request,
            etag=etag,
            last_modified=modified and int(modified),
            response=response,
        )
        if answer.status_code == status.HTTP_412_PRECONDITION_FAILED:
            return self.finalize_response(request, self.handle_exception(PreconditionFailed()))
        if answer.status_code == status.HTTP_304_NOT_MODIFIED:
            # Django keeps ETag, Last-Modified and Vary; the caller's allowance goes along.
            for header in response.headers:
                if header.startswith("X-RateLimit-"):
                    answer[header] = response[header]
        return answer


class ApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiGenericViewSet):
    """A read-only resource: a list and a detail per uid."""

    # -- the representation cache (bpdialogue/representations.py) ------------------------------
    # Lists and details in JSON are answered from the cache when the same representation was
    # built before for the same audience, language and data; after authentication, the
    # permission check and throttling, which run for every request (initial()).
    def list(self, request, *args, **kwargs):
        return self.cached_representation(lambda: super(ApiViewSet, self).list(request))

    def representation_key(self) -> str | None:
        request = self.request
        if not isinstance(getattr(request, "accepted_renderer", None), OrjsonRenderer):
            return None
        if request.accepted_media_type != OrjsonRenderer.media_type:  # e.g. indent=4
            return None
        return representations.entry_key(
            origin=f"{request.scheme}://{request.get_host()}",
            path=request.path,
            query=[(name, value) for name, values in request.GET.lists() for value in values],
            policy=self.policy,
            language=translation.get_language() or "",
            variant=OrjsonRenderer.format,
        )

    def cached_representation(self, build):
        key = self.representation_key()
        found, counter = representations.lookup(key) if key is not None else (None, None)
        if found is None:
            response = build()
            if counter is None or not isinstance(response, Response) or response.status_code != 200:
                return response
            # Rendered once: the bytes sent are the bytes the ETag hashes.
            body = render_json(response.data)
            last_modified = self.last_modified()
            found = Representation(
                body=body,
                etag=body_etag(body),
                last_modified=last_modified.timestamp() if last_modified else None,
            )
            representations.store(key, found, counter=counter)
        answer = HttpResponse(found.body, content_type=found.content_type)
        answer.representation = found
        return answer

    # A record the caller could see and that has gone since (deleted, or its audience narrowed
    # past the caller) answers at its URL as OParl has it, 200 with a deletion marker
    # `{"id", "type", "deleted": true, "modified"}`, so a partner following a link learns to
    # delete its copy. Anyone else gets the 404 of a record that never was. (A comment, not
    # the docstring: the schema takes the class's docstring as each resource's description.)
    def retrieve(self, request, *args, **kwargs):
        return self.cached_representation(lambda: self.retrieve_or_marker(request))

    def retrieve_or_marker(self, request):
        try:
            return super().retrieve(request)
        except Http404:
            marker = self.deletion_marker()
            if marker is None:
                raise
            return Response(marker)

    def deletion_marker(self) -> dict | None:
        model = self.queryset.model
        deletion = (
            self.policy.deletions(
                Deletion.objects.filter(
                    model=model._meta.label_lower, object_uid=self.kwargs[self.lookup_field]
                )
            )
            .order_by("-deleted_at")
            .first()
        )
        if deletion is None:
            return None
        return {
            "id": str(deletion.object_uid),
            "type": record_type(model),
            "deleted": True,
            "modified": serializers.DateTimeField().to_representation(deletion.deleted_at),
        }


def _strong_etags(header: str) -> set[str]:
    """If-Match compares strongly (RFC 9110 13.1.1): a weak validator never matches."""
    return {tag for tag in _tags(header) if not tag.startswith("W/")}


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


class ApiWriteViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
    metaclass=ABCMeta,
):
    """Writes: `write` scope or secretariat. Updates and deletes must name the version they
    start from with `If-Match: <ETag>`; the write itself is conditional on that version,
    so two editors cannot both win.

    The serializer only parses; the write is the owning app's service, which each resource
    names by overriding `create_record`, `update_record` and `delete_record` (this kernel
    imports no domain app). A service's ValidationError answers 400, a VersionConflict 412."""

    @abstractmethod
    def create_record(self, data: dict, *, by):
        """Create the row through the owning app's service."""

    @abstractmethod
    def update_record(self, instance, *, expected_version: int, changes: dict, by):
        """Change the row through the owning app's service, at `expected_version`."""

    @abstractmethod
    def delete_record(self, instance, *, expected_version: int, by):
        """Delete the row through the owning app's service, at `expected_version`."""

    @property
    def writer(self):
        """The signed-in user the history names; None for an API key."""
        user = self.request.user
        return user if user.is_authenticated else None

    def check_if_match(self, instance):
        header = self.request.headers.get("If-Match")
        if not header or header.strip() == "*":
            raise PreconditionRequired()
        current = representation_etag(self.get_serializer(instance).data)
        if current not in _strong_etags(header):
            raise PreconditionFailed()
        return instance.version

    def perform_create(self, serializer):
        serializer.instance = self.create_record(serializer.validated_data, by=self.writer)

    def perform_update(self, serializer):
        serializer.instance = self.update_record(
            serializer.instance,
            expected_version=self.check_if_match(serializer.instance),
            changes=serializer.validated_data,
            by=self.writer,
        )

    def perform_destroy(self, instance):
        self.delete_record(instance, expected_version=self.check_if_match(instance), by=self.writer)

    def get_success_headers(self, data):
        headers = {}
        if data.get("url"):
            # The field gives a Hyperlink, a str subclass: WSGI servers (runserver's wsgiref)
            # accept header values of type str only.
            headers["Location"] = str(data["url"])
        headers["ETag"] = representation_etag(data)
        return headers

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        response["ETag"] = representation_etag(response.data)
        return response


class WriteSerializer(ApiModelSerializer):
    """Parses and validates a write; the viewset hands `validated_data` to the app's service.

    Uniqueness and the other database constraints are checked by the model's `full_clean`
    in the service (400 naming the fields), not by DRF's validators, which would also make
    every field of a conditional unique constraint required."""

    # Fields a client may send back as they are but not change through this representation:
    # name → what to do instead. A writable one among them is set on create only.
    unchangeable: dict[str, str] = {}

    def get_validators(self):
        return []

    def get_uniqueness_extra_kwargs(self, field_names, declared_fields, extra_kwargs):
        return extra_kwargs, {}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        refused = {
            name: why
            for name, why in self.unchangeable.items()
            if name in self.initial_data
            and (self.instance is not None or self.fields[name].read_only)
            and not _same(self.initial_data[name], self._stored(name))
        }
        if refused:
            raise serializers.ValidationError(refused)
        return attrs

    def _stored(self, name):
        """The field's current value as this representation writes it (a new record's
        default when creating)."""
        instance = self.instance if self.instance is not None else self.Meta.model()
        field = self.fields[name]
        value = field.get_attribute(instance)
        return None if value is None else field.to_representation(value)


def _same(sent, stored) -> bool:
    # Ids compare whatever their case; numbers whether sent as numbers or strings.
    return str(sent).lower() == str(stored).lower()
