"""/api/v1/ routes: reminders (docs/architecture.md, "The API").

- ``reminders/due/``: who to reach out to today, exactly the dashboard's list (the same
  selector, capped by the daily limit, with talking points); ``reminders/due/{contact id}/snooze/``
  and ``.../fine/`` are the dashboard's "Snooze" and "We're fine" buttons (contacts.services).
  Logging an interaction is ``POST interactions/``.
- ``reminders/``: the reminder rows (follow-ups, reach-outs, dates) and ``reminders/{id}/done/``,
  the dashboard's "Done" (reminders.services.actions).
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins
from rest_framework.decorators import action
from rest_framework.filters import BaseFilterBackend
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from api.base import IDEMPOTENCY_KEY, OwnedViewSet, etag_of
from api.idempotency import idempotent
from api.serializers.reminders import (
    ContactRhythmSerializer,
    DueListSerializer,
    ReminderFiltersSerializer,
    ReminderSerializer,
    SnoozeSerializer,
)
from contacts.models import Contact
from contacts.services import contact_mark_fine, contact_snooze
from network_crm.clock import local_today, now
from reminders import selectors
from reminders.services.actions import ReminderGone, reminder_act

ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200],
    description="The reminder's version.",
)


class DueListView(GenericAPIView):
    """The people due today (a single capped list, so no cursor)."""

    serializer_class = DueListSerializer
    pagination_class = None

    @extend_schema(
        operation_id="reminders_due_list",
        summary="Who to reach out to today",
        description="The dashboard's list: most overdue first, at most your daily limit, "
        "with talking points. Log what you did with POST /api/v1/interactions/.",
        responses={200: DueListSerializer},
    )
    def get(self, request, *args, **kwargs):
        due = selectors.due_with_talking_points(owner=request.user, today=local_today(request.user))
        return Response(DueListSerializer(due).data)


class DueViewSet(OwnedViewSet):
    """The dashboard's actions on one person."""

    serializer_class = ContactRhythmSerializer
    lookup_value_regex = r"\d+"

    @extend_schema(
        operation_id="reminders_due_snooze",
        summary="Snooze someone",
        description='No reach-out nudge before the date (the dashboard\'s "Snooze a week", '
        "with any length). Works for any of your contacts, due or not.",
        request=SnoozeSerializer,
        responses={200: ContactRhythmSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def snooze(self, request, pk=None):
        contact = self.get_object()
        today = local_today(request.user)
        snooze = SnoozeSerializer(data=request.data, context={"today": today})
        snooze.is_valid(raise_exception=True)
        contact_snooze(contact=contact, until=snooze.validated_data["until"], today=today)
        return Response(ContactRhythmSerializer(Contact.objects.get(pk=contact.pk)).data)

    @extend_schema(
        operation_id="reminders_due_fine",
        summary="We're fine",
        description="Restart their rhythm from today without logging anything (the "
        "dashboard's \"We're fine\").",
        request=None,
        responses={200: ContactRhythmSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def fine(self, request, pk=None):
        contact = self.get_object()
        contact_mark_fine(contact=contact, today=local_today(request.user))
        return Response(ContactRhythmSerializer(Contact.objects.get(pk=contact.pk)).data)


class ReminderFilter(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        filters = ReminderFiltersSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return filters.filter(queryset)

    def get_schema_operation_parameters(self, view):
        return []  # declared from ReminderFiltersSerializer in the list's extend_schema


@extend_schema_view(
    list=extend_schema(
        summary="Your reminders",
        description="Follow-ups you promised, reach-out nudges, birthdays and dates; "
        "`?state=live` for what is still to do.",
        parameters=[ReminderFiltersSerializer],
    ),
    retrieve=extend_schema(summary="One reminder", parameters=[ETAG]),
)
class ReminderViewSet(mixins.ListModelMixin, OwnedViewSet):
    serializer_class = ReminderSerializer
    filter_backends = [ReminderFilter]
    lookup_value_regex = r"\d+"

    def retrieve(self, request, *args, **kwargs):
        data = self.get_serializer(self.get_object()).data
        return Response(data, headers={"ETag": etag_of(data)})

    @extend_schema(
        operation_id="reminders_done",
        summary="Done",
        description='The dashboard\'s "Done": the reminder closes. A reach-out reminder also '
        "restarts the person's rhythm from today (as \"we're fine\"), as from the digest "
        "email's link. A reminder already done or dismissed is a 400.",
        request=None,
        responses={200: ReminderSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def done(self, request, pk=None):
        reminder = self.get_object()
        try:
            reminder = reminder_act(reminder=reminder, action="done", version=None, now=now())
        except ReminderGone:
            raise exceptions.ValidationError(
                {"state": [f"This reminder is already {reminder.get_state_display().lower()}."]}
            ) from None
        return Response(self.get_serializer(reminder).data)


router = SimpleRouter()
# "due" first: reminders/{id}/ only takes digits anyway.
router.register("reminders/due", DueViewSet, basename="due")
router.register("reminders", ReminderViewSet, basename="reminder")

urlpatterns = [
    path("reminders/due/", DueListView.as_view(), name="due-list"),
    *router.urls,
]
