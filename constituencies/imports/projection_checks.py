"""A projection file's seats and parties matched against the database, every mismatch a Problem.

- `resolve_short_codes`: mySociety short codes (UKPARL.2025.ABC) to ONS codes, with a mapping file.
- `match_constituencies`: the boundary set (given, or the newest holding every seat) and each seat's id.
- `match_parties`: each party as the file names it (Con, Reform, Other...) to a party, by code, name or
  alias (rules/parties.py: Reform -> RUK, Other -> Oth); a default party not loaded yet is created.
"""

from __future__ import annotations

from constituencies.imports.projection_layouts import ParsedProjectionFile
from constituencies.models import BoundarySet, Constituency, Party
from constituencies.rules.files import Problem
from constituencies.rules.names import compact_key, name_key
from constituencies.rules.ons import ONS_CODE
from constituencies.rules.parties import DEFAULT_PARTIES, default_alias_index
from constituencies.rules.short_codes import ShortCode


def resolve_short_codes(
    parsed: ParsedProjectionFile, mapping: dict[str, ShortCode], mapping_name: str
) -> list[Problem]:
    """Replace each seat's short code by its ONS code (keeping the name the mapping gives); the
    problems with those that have none."""
    problems = []
    for source in parsed.sources:
        seen: dict[str, int] = {}
        for seat in source.seats:
            found = mapping.get(seat.seat)
            if found is None:
                message = f"{seat.seat} is not a short code in {mapping_name}"
            elif found.ons_id in seen:
                message = f"{seat.seat} is {found.ons_id}, which is already on row {seen[found.ons_id]}"
            else:
                seen[found.ons_id] = seat.row
                seat.seat, seat.name = found.ons_id, found.name
                continue
            problems.append(Problem(parsed.file_name, message, seat.row, "Short Codes"))
    return problems


def match_constituencies(
    parsed: ParsedProjectionFile, boundaries: str = ""
) -> tuple[BoundarySet | None, dict[str, int], list[Problem], list[str]]:
    """(boundary set, {ONS code: constituency id}, problems, notes): the set given, else the newest that
    holds every seat in the file, else the one holding most (and the seats it lacks are the problems).

    A short code whose mapping gives an ONS code not on the boundary set, but the name of exactly one
    constituency on it, is that constituency (noted): mySociety's list gives five Scottish seats the
    codes of their pre-2024 namesakes (Central Ayrshire S14000010, on the 2024 boundaries S14000109)."""
    codes = {seat.seat for source in parsed.sources for seat in source.seats}
    by_set: dict[str, dict[str, int]] = {}
    for code, ons_id, pk in Constituency.objects.filter(ons_id__in=codes).values_list(
        "boundary_set__code", "ons_id", "pk"
    ):
        by_set.setdefault(code, {})[ons_id] = pk
    chosen = boundaries or max(
        by_set, key=lambda c: (len(by_set[c]) == len(codes), len(by_set[c]), c), default=""
    )
    boundary_set = BoundarySet.objects.filter(code=chosen).first()
    if boundary_set is None:
        hint = (
            f'there is no "{chosen}" boundary set' if chosen else "none of its seats is a constituency loaded"
        )
        message = f"{hint}; import the results (or notional results) on the projection's boundaries first"
        return None, {}, [Problem(parsed.file_name, message)], []
    known = by_set.get(chosen, {})
    notes = _match_by_name(parsed, boundary_set, known) if parsed.by_short_code else []
    column = "Short Codes" if parsed.by_short_code else "ons_id"
    problems = [
        Problem(
            parsed.file_name,
            f"{seat.seat} is not a constituency on the {boundary_set.name}"
            if ONS_CODE.match(seat.seat)
            else f'"{seat.seat}" is not a Westminster constituency ONS code (like E14001063)',
            seat.row,
            column,
        )
        for source in parsed.sources
        for seat in source.seats
        if seat.seat not in known
    ]
    return boundary_set, known, problems, notes


def _match_by_name(
    parsed: ParsedProjectionFile, boundary_set: BoundarySet, known: dict[str, int]
) -> list[str]:
    missing = {
        seat.seat: seat.name for source in parsed.sources for seat in source.seats if seat.seat not in known
    }
    renamed = codes_matched_by_name(missing, boundary_set, known)
    for source in parsed.sources:
        for seat in source.seats:
            if seat.seat in renamed:
                ons_id, pk = renamed[seat.seat]
                known[ons_id] = pk
                seat.seat = ons_id
    return [
        f"{missing[old]}: {old} in the short code file is {new} on the {boundary_set.name}"
        for old, (new, _) in sorted(renamed.items())
    ]


def codes_matched_by_name(
    missing: dict[str, str], boundary_set: BoundarySet, known
) -> dict[str, tuple[str, int]]:
    """{code not on the boundary set: (ONS code, constituency id)} for the codes in `missing` ({code: name})
    whose name is that of exactly one constituency on it, one not already `known` (mySociety's five
    Scottish codes, see match_constituencies)."""
    if not missing:
        return {}
    by_name: dict[str, list[tuple[str, int]]] = {}
    for ons_id, name, pk in Constituency.objects.filter(boundary_set=boundary_set).values_list(
        "ons_id", "name", "pk"
    ):
        by_name.setdefault(name_key(name), []).append((ons_id, pk))
    renamed = {}
    for code, name in missing.items():
        matches = by_name.get(name_key(name), []) if name else []
        if len(matches) == 1 and matches[0][0] not in known:
            renamed[code] = matches[0]
    return renamed


def match_parties(parsed: ParsedProjectionFile) -> tuple[dict[str, int], list[Problem]]:
    """({party as the file names it: party id}, problems). Call inside the import's transaction: a
    default party not loaded yet is created."""
    stored = dict(Party.objects.values_list("code", "pk"))
    index = default_alias_index()
    for code, name in Party.objects.values_list("code", "name"):
        index.setdefault(compact_key(code), code)
        index.setdefault(compact_key(name), code)
    specs = {spec.code: spec for spec in DEFAULT_PARTIES}
    found, problems = {}, []
    for label, column in parsed.party_columns.items():
        code = index.get(compact_key(label))
        if code is None:
            known = ", ".join(sorted(stored or specs, key=str.lower))
            row = next((s.rows[label] for src in parsed.sources for s in src.seats if label in s.rows), 1)
            message = f'"{label}" is not a party Seat Finder knows; use a party code ({known})'
            problems.append(Problem(parsed.file_name, message, row, column))
            continue
        if code not in stored:
            spec = specs[code]
            party = Party.objects.create(code=code, name=spec.name, colour=spec.colour, bloc=spec.bloc)
            stored[code] = party.pk
        found[label] = stored[code]
    return found, problems + _same_party_twice(parsed, found)


def _same_party_twice(parsed: ParsedProjectionFile, found: dict[str, int]) -> list[Problem]:
    """Two columns (or, in the long layout, two rows of one seat) for one party: "Reform" and "RUK"."""
    first_row: dict[tuple[str, ...], int] = {}
    for source in parsed.sources:
        for seat in source.seats:
            by_party: dict[int, list[str]] = {}
            for label in seat.shares:
                if label in found:
                    by_party.setdefault(found[label], []).append(label)
            for labels in by_party.values():
                if len(labels) > 1:
                    first_row.setdefault(tuple(labels), seat.rows.get(labels[-1], seat.row))
    columns = parsed.party_columns
    return [
        Problem(parsed.file_name, f"{' and '.join(labels)} are the same party", row, columns[labels[-1]])
        for labels, row in first_row.items()
    ]
