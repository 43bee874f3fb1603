"""Interests on a person and the interests overview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from contacts import selectors, services
from contacts.forms import (
    InterestAddForm,
    MyInterestsForm,
)
from contacts.list_rows import interest_rows
from contacts.models import (
    Contact,
    Interest,
)
from network_crm.http import HtmxHttpRequest
from network_crm.owned import get_owned_or_404
from network_crm.owner_cache import owner_cached
from network_crm.reversing import url_to
from network_crm.text import fold


def _interests_fragment(request: HtmxHttpRequest, contact: Contact, form=None) -> HttpResponse:
    return render(
        request,
        "contacts/contact_detail.html#interests",
        {
            "contact": contact,
            "links": selectors.contact_links(contact),
            "interest_form": form or InterestAddForm(),
            # The "You both love…" line under the name updates out of band.
            "oob": True,
            **selectors.contact_interests(contact=contact),
        },
    )


@require_POST
@login_required
def contact_interest_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    form = InterestAddForm(request.POST)
    problem = "Type an interest to add."
    if form.is_valid():
        try:
            services.contact_interest_add(contact=contact, name=form.cleaned_data["name"])
            form = None
        except services.InterestLimitReached as error:
            problem = str(error)
            form.add_error("name", problem)
    if request.htmx:
        return _interests_fragment(request, contact, form)
    if form is not None:
        messages.error(request, problem)
    return redirect(contact)


@require_POST
@login_required
def contact_interest_remove(request: HtmxHttpRequest, pk: int, interest_pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    interest = get_owned_or_404(Interest, request.user, pk=interest_pk)
    services.contact_interest_remove(contact=contact, interest=interest)
    if request.htmx:
        return _interests_fragment(request, contact)
    return redirect(contact)


@require_safe
@login_required
def interest_suggestions(request: HtmxHttpRequest) -> HttpResponse:
    """Options for the interest input's datalist: the user's interests starting with the text."""
    # Each interest box sends its own field ("name", "interest", "target_interest", ...): the
    # text typed is the one value of the request.
    query = fold(request.GET.get("name") or next(iter(request.GET.values()), ""))[:80]
    interests = Interest.objects.for_owner(request.user)
    if query:
        interests = interests.filter(folded_name__startswith=query)
    return render(
        request,
        "contacts/interest_suggestions.html",
        {"interests": interests.order_by("-mine", "folded_name")[:10]},
    )


def _my_interests_form(request: HtmxHttpRequest) -> MyInterestsForm:
    """The user's own interests as one comma-separated field, bound when it was sent (unbound,
    its initial value is set from the page's interests, ``_show_my_interests``)."""
    return MyInterestsForm(
        request.POST if request.POST.get("form") == "interests" else None, prefix="mine"
    )


def _show_my_interests(form: MyInterestsForm, interests: list[selectors.InterestCount]) -> None:
    if not form.is_bound:
        form.initial = {"interests": ", ".join(i.name for i in interests if i.mine)}


def _my_interests_saved(request: HtmxHttpRequest, form: MyInterestsForm) -> bool:
    """Save the user's own interests from ``form``; False (with the error on the form) if not."""
    if not form.is_valid():
        return False
    try:
        services.interests_set_mine(owner=request.user, names=form.names())
    except services.InterestLimitReached as error:
        form.add_error("interests", str(error))
        return False
    return True


# The people named on each row of the interests page (the rest are a link away): three keep a
# row to two lines on a phone.
PEOPLE_SHOWN = 3


@require_http_methods(["GET", "POST"])
@login_required
@owner_cached
def interest_list(request: HtmxHttpRequest) -> HttpResponse:
    """Who shares which interest, and (posted here) the user's own interests."""
    interests_form = _my_interests_form(request)
    if interests_form.is_bound and _my_interests_saved(request, interests_form):
        messages.success(request, "Your interests are saved.")
        return redirect("contacts:interests")
    query = request.GET.get("q", "").strip()[:80]
    # A list (one user's interests are few enough to hold), counted once for the whole page.
    counted = selectors.interests_counted(owner=request.user)
    _show_my_interests(interests_form, counted)
    interests = selectors.interests_for_overview(owner=request.user, query=query, counted=counted)
    page = Paginator(interests, 30).get_page(request.GET.get("page"))
    template = "contacts/interest_list.html" + ("#interest-results" if request.htmx else "")
    rows = selectors.interests_with_people(
        owner=request.user, interests=list(page.object_list), per_interest=PEOPLE_SHOWN
    )
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "rows": interest_rows(rows, list_url=url_to("contacts:list")),
            "interests_form": interests_form,
            "here": url_to("contacts:interests"),
        },
    )
