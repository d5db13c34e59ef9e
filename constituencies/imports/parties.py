"""The parties a results file names: matched to the parties already known, or created."""

from __future__ import annotations

from constituencies.imports.layouts.parsed import ParsedCandidacy
from constituencies.models import Party
from constituencies.rules.files import ImportFileError, Problem
from constituencies.rules.names import compact_key
from constituencies.rules.parties import code_for_new_party, default_alias_index, matching_party


class PartyResolver:
    """Turn the party labels in a file into Party rows, creating parties met for the first time.

    A label that is no known code, name or alias is matched by the party's official name and its common short
    names (rules.parties.matching_party) before a party is created: "People Before Profit Alliance" (PBPA) is
    the People Before Profit already known. Those matches are kept in `matched`, to be shown in the preview. A
    party known only by its code ("PBPA", from a constituency file) takes its real name when a file gives it
    (`named`).
    """

    def __init__(self, merge_new_parties: dict[str, str] | None = None, file_name: str = ""):
        """`merge_new_parties`: the code a party met for the first time would get -> the code of the known
        party it is instead (chosen by an admin on the preview)."""
        self.parties = {p.code: p for p in Party.objects.all()}
        unknown = sorted(set((merge_new_parties or {}).values()) - set(self.parties))
        if unknown:
            raise ImportFileError(
                [Problem(file_name, f"no party {', '.join(unknown)} to merge a new party into")]
            )
        self.merge_new_parties = merge_new_parties or {}
        self.index = default_alias_index()
        for party in self.parties.values():
            self.index.setdefault(compact_key(party.code), party.code)
            self.index.setdefault(compact_key(party.name), party.code)
        self.created: list[Party] = []
        self.matched: list[tuple[str, Party]] = []  # (the file's label, the known party it is)
        self.named: list[Party] = []  # known by their code alone until this file named them

    def resolve(self, candidacy: ParsedCandidacy) -> Party:
        label = candidacy.party_name or candidacy.party
        code = self.index.get(compact_key(candidacy.party)) or self.index.get(
            compact_key(candidacy.party_name)
        )
        if code is None:
            known = {c: p.name for c, p in self.parties.items()}
            code = matching_party(candidacy.party, candidacy.party_name, known)
            if code is not None:
                self.matched.append((label, self.parties[code]))
            else:
                looks_like_code = candidacy.party_name and len(candidacy.party) <= 20
                code = (
                    candidacy.party
                    if looks_like_code
                    else code_for_new_party(candidacy.party, set(self.parties))
                )
            self.index[compact_key(candidacy.party)] = code
            self.index[compact_key(label)] = code
        if code not in self.parties and code in self.merge_new_parties:
            kept = self.parties[self.merge_new_parties[code]]
            self.matched.append((label, kept))
            self.index[compact_key(candidacy.party)] = self.index[compact_key(label)] = kept.code
            code = kept.code
        if code not in self.parties:
            party = Party(code=code, name=label)
            party.save()
            self.parties[code] = party
            self.created.append(party)
        party = self.parties[code]
        if candidacy.party_name and compact_key(party.name) == compact_key(party.code):
            party.name = candidacy.party_name
            party.save(update_fields=["name"])
            if party not in self.created:
                self.named.append(party)
        return party
