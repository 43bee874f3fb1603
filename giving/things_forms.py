"""Forms of Things to share: saving a thing, and what a person sent you."""

from __future__ import annotations

from django import forms

from giving.models import ShareItem

TOPIC_LENGTH = 80


class ThingForm(forms.Form):
    kind = forms.ChoiceField(label="What is it", choices=ShareItem.Kind.choices)
    url = forms.URLField(
        label="Link",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="We read the page's title for you if you leave the title empty.",
        error_messages={"invalid": "That doesn't look like a link (https://…)."},
    )
    title = forms.CharField(label="Title", required=False, max_length=300)
    topics = forms.CharField(
        label="Topics",
        required=False,
        max_length=1000,
        help_text="Separated by commas, e.g. jazz, climbing. People with these interests are "
        "suggested.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    note = forms.CharField(
        label="Why it's worth sharing",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_topics(self) -> list[str]:
        names = [" ".join(name.split()) for name in self.cleaned_data["topics"].split(",")]
        names = list(dict.fromkeys(name for name in names if name))
        too_long = [name for name in names if len(name) > TOPIC_LENGTH]
        if too_long:
            raise forms.ValidationError(
                f"Keep each topic under {TOPIC_LENGTH} characters (“{too_long[0][:30]}…” is "
                "longer)."
            )
        if len(names) > 10:
            raise forms.ValidationError("Ten topics at most.")
        return names

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("url") or data.get("title") or data.get("note")) and not self.errors:
            raise forms.ValidationError("Give it a link, a title or a note.")
        return data

    @classmethod
    def prefilled(cls, query) -> ThingForm:
        """The form opened by the bookmarklet or the share target: ?url=&title=&text= (a link
        in ``text``, as Android sends it, becomes the link)."""
        url = query.get("url", "")[:2000].strip()
        text = query.get("text", "")[:5000].strip()
        last = text.split()[-1] if text.split() else ""
        if last.startswith(("http://", "https://")) and last == (url or last):
            url = last
            text = text[: -len(last)].strip()
        title = query.get("title", "")[:300].strip()
        note = "" if text in (url, title) else text
        return cls(initial={"url": url, "title": title, "note": note, "kind": "link"})


class ReceivedForm(forms.Form):
    title = forms.CharField(
        label="What they sent",
        max_length=300,
        error_messages={"required": "Say what they sent you."},
    )
    url = forms.URLField(
        label="Link (optional)",
        required=False,
        max_length=2000,
        assume_scheme="https",
        error_messages={"invalid": "That doesn't look like a link (https://…)."},
    )
