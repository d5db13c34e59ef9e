"""Write parsed results for one election: constituencies, results, candidacies, assessments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from constituencies.imports.changes import (
    SeatChanges,
    diff_seats,
    previous_seat_states,
    seat_states,
    state_fingerprint,
)
from constituencies.imports.kept_candidates import CandidacyFacts, keep_candidate_details
from constituencies.imports.layouts.parsed import ParsedCandidacy, ParsedContest, ParsedFile
from constituencies.imports.parties import PartyResolver
from constituencies.models import Candidacy, Constituency, Election, Result
from constituencies.rules.explain import counted
from constituencies.rules.files import ImportFileError, Problem
from constituencies.rules.names import name_key
from constituencies.seats.assessments import assess_results, current_blocs, lock_assessment_writers


@dataclass
class ImportSummary:
    election: str
    seats: int = 0
    candidacies: int = 0
    results_replaced: int = 0
    assessments: int = 0
    dry_run: bool = False
    election_created: bool = False
    new_constituencies: list[str] = field(default_factory=list)  # names
    new_parties: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    # The file's labels taken to be parties already known by another code or name: (label, code, name).
    parties_matched: list[tuple[str, str, str]] = field(default_factory=list)
    parties_named: list[tuple[str, str]] = field(default_factory=list)  # known by their code alone until now
    candidacies_replaced: int = 0
    # Stored candidate names the file leaves out: kept (the default), or removed, seat by seat.
    candidate_names_kept: int = 0
    candidate_names_removed: list[tuple[str, list[str]]] = field(default_factory=list)  # (seat, names)
    # A checksum of the election's results and the blocs before the import (see state_fingerprint).
    state_before: str = ""
    changes: SeatChanges = field(default_factory=SeatChanges)

    @property
    def constituencies_created(self) -> int:
        return len(self.new_constituencies)

    @property
    def names_removed_count(self) -> int:
        return sum(len(names) for _seat, names in self.candidate_names_removed)

    @property
    def parties_created(self) -> list[str]:
        return [code for code, _name in self.new_parties]

    def headline(self) -> str:
        """The counts, without the new parties (which a preview lists with their names)."""
        return (
            f"{self.election}: {counted(self.seats, 'seat')}, {counted(self.candidacies, 'candidacy')} "
            f"({counted(self.results_replaced, 'earlier result')} replaced, "
            f"{counted(self.constituencies_created, 'constituency')} created, "
            f"{counted(self.assessments, 'seat')} assessed)"
        )

    def __str__(self):
        text = self.headline()
        if self.parties_created:
            text += f"; new parties: {', '.join(self.parties_created)}"
        return text


class ResultsChangedError(Exception):
    """The election's results (or the blocs) changed after the preview the import was confirmed from."""

    def __init__(self, election_name: str):
        super().__init__(
            f"The results of {election_name} or the party blocs have changed since this preview was made "
            "(someone else imported or edited them). Nothing was written; check the new preview and "
            "confirm again."
        )


class ElectionDeletedError(ImportFileError):
    """The election was deleted while the import waited for the assessment writers' lock."""

    def __init__(self, file_name: str, election: Election):
        super().__init__(
            [
                Problem(
                    file_name,
                    f"the election {election.name} ({election.slug}) was deleted since this import began "
                    "(it waited for the deletion to finish); nothing was written. Create the election "
                    "again to import into it.",
                )
            ]
        )


class ResultsImporter:
    """Replace one election's results with the parsed contests, in one transaction.

    Every check runs before anything is written; if any fails, ImportFileError
    lists them all and the database is left exactly as it was.

    `run(dry_run=True)` is the preview: it does the whole import, works out what changed,
    and rolls it all back. `run(expect_state=...)` refuses (ResultsChangedError) if the
    election's results or the blocs are no longer those the preview was computed from.
    An import (or preview) first takes the assessment writers' lock (seats.assessments), so imports,
    previews and bloc changes run one after the other, and then locks the election's row
    (SELECT ... FOR UPDATE, the election's row only) against edits of the election itself. The
    constituency checks are made under those locks, since another import may have added constituencies
    while this one waited; an election deleted meanwhile is ElectionDeletedError.
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

    @classmethod
    def for_file(
        cls, parsed: ParsedFile, election: Election, progress: Callable[[str], None] | None = None
    ) -> ResultsImporter:
        return cls(election, parsed.contests, parsed.file_name, progress=progress)

    def check(self) -> None:
        """The codes against the boundary set: constituencies already on it must have the file's names;
        a general election or notional results may add the ones not loaded yet (the set may hold only a
        by-election's seat, or a sample), a by-election may not. Raises ImportFileError with every problem."""
        existing = {
            c.ons_id: c for c in Constituency.objects.filter(boundary_set_id=self.election.boundary_set.pk)
        }
        code_by_name = {name_key(c.name): c.ons_id for c in existing.values()}
        problems = []
        for contest in self.contests:
            known = existing.get(contest.ons_id)
            message = (
                self._mismatch(contest, known)
                if known
                else self._not_addable(contest, code_by_name.get(name_key(contest.name)))
            )
            if message:
                problems.append(Problem(self.file_name, message, row=contest.row))
        if problems:
            raise ImportFileError(problems)

    def _mismatch(self, contest: ParsedContest, known: Constituency) -> str | None:
        if self.check_names and contest.name and name_key(known.name) != name_key(contest.name):
            return (
                f"{contest.ons_id} is {known.name} on the {self.election.boundary_set.name}, but the file "
                f'calls it "{contest.name}"'
            )
        return None

    def _not_addable(self, contest: ParsedContest, same_name_code: str | None) -> str | None:
        """Why a constituency not yet on the boundary set cannot be added by this import, if it cannot."""
        boundaries = self.election.boundary_set.name
        not_on_boundaries = (
            f"{contest.ons_id} ({contest.name or 'no name'}) is not a constituency on the {boundaries}"
        )
        if self.election.kind == Election.Kind.BY_ELECTION:
            return (
                f"{not_on_boundaries}, which {self.election.name} was fought on; a by-election can only "
                "be in a constituency already loaded (import a general election or notional results on "
                "these boundaries first)"
            )
        if same_name_code:
            # Codes of other boundaries, or a typing mistake: one name is one constituency on a boundary set.
            return f"{not_on_boundaries}, where {contest.name} is {same_name_code}"
        if not contest.name:
            return f"{contest.ons_id} needs a constituency name"
        return None

    def run(
        self,
        dry_run: bool = False,
        expect_state: str | None = None,
        replace_candidates: bool = False,
        merge_new_parties: dict[str, str] | None = None,
    ) -> ImportSummary:
        """`replace_candidates`: go ahead even where the file would remove stored candidate names (the
        summary lists them); without it such an import is refused, and a dry run says it would be.
        `merge_new_parties`: the code of a party the file would create -> the known party it is instead."""
        self.merge_new_parties = merge_new_parties or {}
        new_election = self.election.pk is None
        new_boundary_set = self.election.boundary_set.pk is None
        try:
            with transaction.atomic():
                summary = self._write(dry_run, expect_state, new_election, replace_candidates)
                if dry_run:
                    transaction.set_rollback(True)
        except BaseException:
            self._forget_unsaved(new_election, new_boundary_set)
            raise
        if dry_run:
            self._forget_unsaved(new_election, new_boundary_set)
        return summary

    def _forget_unsaved(self, new_election: bool, new_boundary_set: bool) -> None:
        """After a rollback, objects saved inside the transaction must not look saved."""
        if new_boundary_set:
            boundary_set = self.election.boundary_set
            boundary_set.pk = None
            boundary_set._state.adding = True
            self.election.boundary_set = boundary_set  # clears boundary_set_id too
        if new_election:
            self.election.pk = None
            self.election._state.adding = True

    def _write(
        self, dry_run: bool, expect_state: str | None, new_election: bool, replace_candidates: bool
    ) -> ImportSummary:
        lock_assessment_writers()  # before the election, the blocs or the results are read
        if new_election:
            if self.election.boundary_set.pk is None:
                self.election.boundary_set.save()
            self.election.save()
        # of=("self",): lock the election's row only, not its boundary set's as well.
        election = (
            Election.objects.select_for_update(of=("self",))
            .select_related("boundary_set")
            .filter(pk=self.election.pk)
            .first()
        )
        if election is None:  # deleted (delete_election) while this import waited for the lock
            raise ElectionDeletedError(self.file_name, self.election)
        # Checked under the lock, so no other import can add constituencies in between: a by-election names
        # a loaded constituency, one name is one constituency, a code already loaded keeps its name.
        self.check()
        before = seat_states(election)
        summary = ImportSummary(
            election=election.name,
            seats=len(self.contests),
            dry_run=dry_run,
            election_created=new_election,
            state_before=state_fingerprint(before, current_blocs()),
        )
        if expect_state is not None and expect_state != summary.state_before:
            raise ResultsChangedError(election.name)
        constituencies = self._upsert_constituencies(summary)
        created = counted(summary.constituencies_created, "constituency")
        self.progress(f"would create {created}" if dry_run else f"{created} created")

        summary.results_replaced = len(before)
        summary.candidacies_replaced = Candidacy.objects.filter(result__election=election).count()
        parties = PartyResolver(self.merge_new_parties, self.file_name)
        planned = self._planned_candidacies(parties, before, summary)
        if summary.candidate_names_removed and not (dry_run or replace_candidates):
            raise ImportFileError([self._names_removed_problem(summary)])
        Result.objects.filter(election=election).delete()

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
        self.progress(self._written(dry_run, counted(len(results), "result")))
        candidacies = [
            Candidacy(
                result=result,
                party=parties.parties[facts.party],
                candidate_name=facts.name,
                votes=facts.votes,
                is_sitting_mp=facts.sitting,
                is_combined=facts.combined,
            )
            for result, contest in zip(results, self.contests, strict=True)
            for facts in planned[contest.ons_id]
        ]
        Candidacy.objects.bulk_create(candidacies, batch_size=2000)
        summary.candidacies = len(candidacies)
        summary.new_parties = [(p.code, p.name) for p in parties.created]
        summary.parties_matched = [(label, p.code, p.name) for label, p in parties.matched]
        summary.parties_named = [(p.code, p.name) for p in parties.named]
        self.progress(self._written(dry_run, counted(len(candidacies), "candidacy")))

        summary.assessments = assess_results(Result.objects.filter(election=election))
        assessed = counted(summary.assessments, "seat")
        self.progress(f"would assess {assessed}" if dry_run else f"{assessed} assessed")

        after = seat_states(election)
        previous = previous_seat_states(election, [ons_id for ons_id in after if ons_id not in before])
        summary.changes = diff_seats(before, after, previous)
        return summary

    def _planned_candidacies(
        self, parties: PartyResolver, before: dict, summary: ImportSummary
    ) -> dict[str, list[CandidacyFacts]]:
        """Each seat's candidacies as they will be stored: the file's, with the stored candidate details it
        leaves out kept (kept_candidates.py); the names it would remove are noted on the summary."""
        planned = {}
        for contest in self.contests:
            new = [
                CandidacyFacts(
                    parties.resolve(c).code, c.candidate_name, c.votes, c.is_combined, c.is_sitting_mp
                )
                for c in contest.candidacies
            ]
            was = before.get(contest.ons_id)
            kept = keep_candidate_details(new, was.figures[3] if was else ())
            planned[contest.ons_id] = kept.candidacies
            summary.candidate_names_kept += kept.names_kept
            if kept.names_removed:
                summary.candidate_names_removed.append((was.name, kept.names_removed))
        return planned

    def _names_removed_problem(self, summary: ImportSummary) -> Problem:
        seats = summary.candidate_names_removed
        shown = "; ".join(f"{seat}: {', '.join(names)}" for seat, names in seats[:5])
        more = f"; and {counted(len(seats) - 5, 'more seat')}" if len(seats) > 5 else ""
        return Problem(
            self.file_name,
            f"{counted(summary.names_removed_count, 'candidate name')} stored now would be removed, the file "
            f"giving other figures for {counted(len(seats), 'seat')} ({shown}{more}); nothing was written. "
            'To import it all the same, use --replace-candidates (in the admin, tick "Remove these '
            'candidate names")',
        )

    @staticmethod
    def _written(dry_run: bool, what: str) -> str:
        return f"would write {what}" if dry_run else f"{what} written"

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
        summary.new_constituencies = sorted(c.name for c in to_create)
        return existing
