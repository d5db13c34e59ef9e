"""Forms for the admin's results and projections uploads and the bloc editor."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminDateWidget, FilteredSelectMultiple
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify

from constituencies.imports.layouts import LAYOUTS
from constituencies.imports.projections import ProjectionUpload
from constituencies.imports.service import ResultsUpload
from constituencies.models import BoundarySet, Election, Party


class UploadLimitForm(forms.Form):
    """A form whose files the MemoryUploadHandler skipped for being over the limit says so on the field."""

    FILE_FIELDS: tuple[str, ...] = ()

    def __init__(self, *args, too_large: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large or {}

    def clean(self):
        data = super().clean()
        limit = filesizeformat(settings.SEATFINDER_MAX_UPLOAD_BYTES)
        for name in self.FILE_FIELDS:
            if name in self.too_large:
                self.add_error(
                    name,
                    f"{self.too_large[name]} is larger than the upload limit of {limit} "
                    "(SEATFINDER_MAX_UPLOAD_MB). Nothing was read.",
                )
        main = self.FILE_FIELDS[0]
        if main not in self.too_large and not data.get(main):
            self.add_error(main, f"Choose the {self.fields[main].label.lower()} to upload.")
        return data


class ResultsUploadForm(UploadLimitForm):
    election = forms.ModelChoiceField(
        Election.objects.select_related("boundary_set"),
        required=False,
        empty_label="\u2014 a new election (fill in below) \u2014",
        help_text="Re-importing an election replaces all its results with the file's.",
    )
    new_name = forms.CharField(label="Name", max_length=120, required=False)
    new_slug = forms.SlugField(
        label="Slug",
        max_length=80,
        required=False,
        help_text='e.g. "by-runcorn-and-helsby-2025"; left empty, made from the name',
    )
    new_date = forms.DateField(label="Polling day", required=False, widget=AdminDateWidget)
    new_kind = forms.ChoiceField(
        label="Kind", choices=[("", "---------"), *Election.Kind.choices], required=False
    )
    new_boundary_set = forms.ModelChoiceField(BoundarySet.objects.all(), label="Boundaries", required=False)
    layout = forms.ChoiceField(
        label="File layout",
        choices=[("", "Detect from the header"), *((name, layout.label) for name, layout in LAYOUTS.items())],
        required=False,
    )
    results_file = forms.FileField(
        label="Results file",
        required=False,  # checked in clean(), so a file over the size limit gets its own message
        allow_empty_file=True,  # the importer says "the file is empty" like the command does
        help_text="CSV, UTF-8: the House of Commons Library constituency or candidate file, notional "
        "results, or ons_id,constituency,party,votes[,candidate] for a by-election.",
    )
    candidates_file = forms.FileField(
        label="Candidate file (optional)",
        required=False,
        allow_empty_file=True,
        help_text="The HoC candidate-level file, to add candidate names to a constituency file.",
    )

    NEW_FIELDS = ("new_name", "new_slug", "new_date", "new_kind", "new_boundary_set")
    FILE_FIELDS = ("results_file", "candidates_file")

    def clean(self):
        data = super().clean()
        if data.get("election"):
            filled = [self.fields[f].label for f in self.NEW_FIELDS if data.get(f)]
            if filled:
                raise forms.ValidationError(
                    f"Choose an existing election or describe a new one, not both (you filled in: "
                    f"{', '.join(filled)})."
                )
        else:
            if not data.get("new_slug") and data.get("new_name"):
                data["new_slug"] = slugify(data["new_name"])[:80]
            for name in self.NEW_FIELDS:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "Needed for a new election (or choose an existing election above).")
            slug = data.get("new_slug")
            if slug and Election.objects.filter(slug=slug).exists():
                self.add_error(
                    "new_slug", f"An election with the slug \u201c{slug}\u201d exists: choose it above."
                )
        return data

    def target_election(self) -> Election:
        """The chosen election, or the new one, unsaved (the import saves it in its transaction)."""
        data = self.cleaned_data
        if data.get("election"):
            return data["election"]
        return Election(
            slug=data["new_slug"],
            name=data["new_name"],
            date=data["new_date"],
            kind=data["new_kind"],
            boundary_set=data["new_boundary_set"],
        )

    def new_election_spec(self) -> dict | None:
        data = self.cleaned_data
        if data.get("election"):
            return None
        return {
            "slug": data["new_slug"],
            "name": data["new_name"],
            "date": data["new_date"].isoformat(),
            "kind": data["new_kind"],
            "boundary_set_id": data["new_boundary_set"].pk,
        }

    def upload(self) -> ResultsUpload:
        results = self.cleaned_data["results_file"]
        candidates = self.cleaned_data.get("candidates_file")
        return ResultsUpload(
            file_name=results.name,
            data=results.read(),
            layout_name=self.cleaned_data.get("layout") or None,
            candidates_name=candidates.name if candidates else "",
            candidates_data=candidates.read() if candidates else None,
        )


class ProjectionUploadForm(UploadLimitForm):
    """The options of manage.py import_projections; the layout is told by the file's header."""

    FILE_FIELDS = ("projections_file", "short_codes_file")

    projections_file = forms.FileField(
        label="Projections file",
        required=False,  # checked in clean(), so a file over the size limit gets its own message
        allow_empty_file=True,  # the importer says "the file is empty" like the command does
        help_text="CSV, UTF-8: a collection of MRPs (Short Codes, MRP Poll Sheet, Con, Lab, ...), "
        "ons_id,party,share, or ons_id,<party>,<party>,...",
    )
    name = forms.CharField(
        help_text='e.g. "MRP average (June 2024)". In an MRP collection this names the average; each '
        'pollster is kept as "YouGov MRP (June 2024)". Re-importing a name replaces it.'
    )
    publisher = forms.CharField(required=False, help_text="Who made it (default: the name)")
    date = forms.DateField(widget=AdminDateWidget, help_text="When it was published")
    is_average = forms.BooleanField(
        label="An average of several pollsters",
        required=False,
        help_text="For an ons_id file; an MRP collection marks its AVERAGE rows itself.",
    )
    boundaries = forms.ModelChoiceField(
        BoundarySet.objects.all(),
        to_field_name="code",
        required=False,
        empty_label="The set holding every seat in the file",
    )
    short_codes_file = forms.FileField(
        label="Short-code file (optional)",
        required=False,
        allow_empty_file=True,
        help_text="mySociety's parl_constituencies_2025.csv (short_code, gss_code), for a file giving "
        "seats as short codes. Left empty: the copy in the data folder.",
    )

    def upload(self) -> ProjectionUpload:
        data = self.cleaned_data
        short_codes = data.get("short_codes_file")
        return ProjectionUpload(
            data["projections_file"].name,
            data["projections_file"].read(),
            name=data["name"],
            date=data["date"],
            publisher=data["publisher"],
            is_average=data["is_average"],
            short_codes=(short_codes.name, short_codes.read()) if short_codes else None,
            boundaries=data["boundaries"].code if data.get("boundaries") else "",
        )


class BlocsForm(forms.Form):
    progressive = forms.ModelMultipleChoiceField(
        Party.objects.order_by("name"),
        required=False,
        label="Progressive bloc",
        widget=FilteredSelectMultiple("parties", is_stacked=False),
        help_text="Their votes together decide whether a seat is a progressive tragedy; the best-placed "
        "party is chosen among them.",
    )
    target = forms.ModelMultipleChoiceField(
        Party.objects.order_by("name"),
        required=False,
        label="Target bloc",
        widget=FilteredSelectMultiple("parties", is_stacked=False),
        help_text="A seat one of these parties won can be a progressive tragedy.",
    )
    note = forms.CharField(
        label="Note for the audit trail (optional)",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"size": 80}),
    )

    def clean(self):
        data = super().clean()
        both = set(data.get("progressive") or []) & set(data.get("target") or [])
        if both:
            names = ", ".join(sorted(p.name for p in both))
            raise forms.ValidationError(f"A party cannot be in both blocs: {names}.")
        return data

    def new_blocs(self) -> dict[str, str]:
        """Every party's bloc as the form says it."""
        progressive = {p.code for p in self.cleaned_data["progressive"]}
        target = {p.code for p in self.cleaned_data["target"]}
        return {
            code: Party.Bloc.PROGRESSIVE
            if code in progressive
            else Party.Bloc.TARGET
            if code in target
            else ""
            for code in Party.objects.values_list("code", flat=True)
        }
