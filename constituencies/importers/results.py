"""Write parsed results for one election: constituencies, results, candidacies, assessments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from constituencies.assessments import assess_results
from constituencies.importers.files import ImportFileError, Problem, name_key
from constituencies.importers.layouts import ParsedCandidacy, ParsedContest
from constituencies.models import Candidacy, Constituency, Election, Party, Result
from constituencies.parties import alias_key, code_for_new_party, default_alias_index


@dataclass
class ImportSummary:
    election: str
    seats: int = 0
    candidacies: int = 0
    constituencies_created: int = 0
    results_replaced: int = 0
    parties_created: list[str] = field(default_factory=list)
    assessments: int = 0

    def __str__(self):
        text = (
            f"{self.election}: {self.seats} seats, {self.candidacies} candidacies "
            f"({self.results_replaced} earlier results replaced, "
            f"{self.constituencies_created} constituencies created, {self.assessments} seats assessed)"
        )
        if self.parties_created:
            text += f"; new parties: {', '.join(self.parties_created)}"
        return text


class PartyResolver:
    """Turn the party labels in a file into Party rows, creating parties met for the first time."""

    def __init__(self):
        self.parties = {p.code: p for p in Party.objects.all()}
        self.index = default_alias_index()
        for party in self.parties.values():
            self.index.setdefault(alias_key(party.code), party.code)
            self.index.setdefault(alias_key(party.name), party.code)
        self.created: list[Party] = []

    def resolve(self, candidacy: ParsedCandidacy) -> Party:
        code = self.index.get(alias_key(candidacy.party)) or self.index.get(alias_key(candidacy.party_name))
        if code is None:
            looks_like_code = candidacy.party_name and len(candidacy.party) <= 20
            code = (
                candidacy.party if looks_like_code else code_for_new_party(candidacy.party, set(self.parties))
            )
            name = candidacy.party_name or candidacy.party
            self.index[alias_key(candidacy.party)] = code
            self.index[alias_key(name)] = code
        if code not in self.parties:
            party = Party(code=code, name=candidacy.party_name or candidacy.party)
            party.save()
            self.parties[code] = party
            self.created.append(party)
        return self.parties[code]


class ResultsImporter:
    """Replace one election's results with the parsed contests, in one transaction.

    Every check runs before anything is written; if any fails, ImportFileError
    lists them all and the database is left exactly as it was.
    """

    def __init__(
        self,
        election: Election,
        contests: list[ParsedContest],
        file_name: str,
        progress: Callable[[str], None] | None = None,
        check_names: bool = True,
    ):
        self.check_names = check_names
        self.election = election
        self.contests = contests
        self.file_name = file_name
        self.progress = progress or (lambda message: None)

    def check(self) -> list[Problem]:
        existing = {
            c.ons_id: c for c in Constituency.objects.filter(boundary_set_id=self.election.boundary_set.pk)
        }
        problems = []
        boundaries = self.election.boundary_set
        for contest in self.contests:
            known = existing.get(contest.ons_id)
            if known is None and existing:
                problems.append(
                    Problem(
                        self.file_name,
                        f"{contest.ons_id} ({contest.name or 'no name'}) is not a constituency on the "
                        f"{boundaries.name}, which {self.election.name} was fought on",
                        row=contest.row,
                    )
                )
            elif (
                self.check_names and known and contest.name and name_key(known.name) != name_key(contest.name)
            ):
                problems.append(
                    Problem(
                        self.file_name,
                        f'{contest.ons_id} is {known.name} on the {boundaries.name}, but the file calls it "{contest.name}"',
                        row=contest.row,
                    )
                )
            elif known is None and not contest.name:
                problems.append(
                    Problem(
                        self.file_name,
                        f"{contest.ons_id} needs a constituency name",
                        row=contest.row,
                    )
                )
        return problems

    def run(self) -> ImportSummary:
        problems = self.check()
        if problems:
            raise ImportFileError(problems)
        with transaction.atomic():
            if self.election.pk is None:
                if self.election.boundary_set.pk is None:
                    self.election.boundary_set.save()
                self.election.save()
            # Lock the election so two imports of it cannot interleave.
            election = Election.objects.select_for_update().get(pk=self.election.pk)
            summary = ImportSummary(election=election.name, seats=len(self.contests))
            constituencies = self._upsert_constituencies(summary)
            self.progress(f"{len(constituencies)} constituencies ready")

            summary.results_replaced = Result.objects.filter(election=election).count()
            Result.objects.filter(election=election).delete()

            parties = PartyResolver()
            results = Result.objects.bulk_create(
                [
                    Result(
                        election=election,
                        constituency=constituencies[contest.ons_id],
                        electorate=contest.electorate,
                        valid_votes=contest.valid_votes or contest.total_votes,
                        invalid_votes=contest.invalid_votes,
                        description=contest.description,
                        declared_winner=parties.resolve(ParsedCandidacy(contest.declared_winner, 0))
                        if contest.declared_winner
                        else None,
                    )
                    for contest in self.contests
                ],
                batch_size=1000,
            )
            self.progress(f"{len(results)} results written")
            candidacies = [
                Candidacy(
                    result=result,
                    party=parties.resolve(parsed),
                    candidate_name=parsed.candidate_name,
                    votes=parsed.votes,
                    is_sitting_mp=parsed.is_sitting_mp,
                    is_combined=parsed.is_combined,
                )
                for result, contest in zip(results, self.contests, strict=True)
                for parsed in contest.candidacies
            ]
            Candidacy.objects.bulk_create(candidacies, batch_size=2000)
            summary.candidacies = len(candidacies)
            summary.parties_created = [p.code for p in parties.created]
            self.progress(f"{len(candidacies)} candidacies written")

            summary.assessments = assess_results(Result.objects.filter(election=election))
            self.progress(f"{summary.assessments} seats assessed")
        return summary

    def _upsert_constituencies(self, summary: ImportSummary) -> dict[str, Constituency]:
        boundary_set = self.election.boundary_set
        existing = {c.ons_id: c for c in Constituency.objects.filter(boundary_set=boundary_set)}
        taken_slugs = {c.slug for c in existing.values()}
        to_create, to_update = [], []
        for contest in self.contests:
            constituency = existing.get(contest.ons_id)
            if constituency is None:
                slug = slugify(contest.name) or contest.ons_id.lower()
                if slug in taken_slugs:
                    slug = f"{slug}-{contest.ons_id.lower()}"
                taken_slugs.add(slug)
                constituency = Constituency(
                    boundary_set=boundary_set,
                    ons_id=contest.ons_id,
                    name=contest.name,
                    slug=slug,
                    region=contest.region,
                    country=contest.country,
                )
                to_create.append(constituency)
                existing[contest.ons_id] = constituency
            elif (contest.region and not constituency.region) or (
                contest.country and not constituency.country
            ):
                constituency.region = constituency.region or contest.region
                constituency.country = constituency.country or contest.country
                to_update.append(constituency)
        Constituency.objects.bulk_create(to_create, batch_size=1000)
        Constituency.objects.bulk_update(to_update, ["region", "country"], batch_size=1000)
        summary.constituencies_created = len(to_create)
        return existing
