"""The parties a results file names: matched to the parties already known, or created."""

from __future__ import annotations

from constituencies.imports.layouts.parsed import ParsedCandidacy
from constituencies.models import Party
from constituencies.rules.names import compact_key
from constituencies.rules.parties import code_for_new_party, default_alias_index


class PartyResolver:
    """Turn the party labels in a file into Party rows, creating parties met for the first time."""

    def __init__(self):
        self.parties = {p.code: p for p in Party.objects.all()}
        self.index = default_alias_index()
        for party in self.parties.values():
            self.index.setdefault(compact_key(party.code), party.code)
            self.index.setdefault(compact_key(party.name), party.code)
        self.created: list[Party] = []

    def resolve(self, candidacy: ParsedCandidacy) -> Party:
        code = self.index.get(compact_key(candidacy.party)) or self.index.get(
            compact_key(candidacy.party_name)
        )
        if code is None:
            looks_like_code = candidacy.party_name and len(candidacy.party) <= 20
            code = (
                candidacy.party if looks_like_code else code_for_new_party(candidacy.party, set(self.parties))
            )
            name = candidacy.party_name or candidacy.party
            self.index[compact_key(candidacy.party)] = code
            self.index[compact_key(name)] = code
        if code not in self.parties:
            party = Party(code=code, name=candidacy.party_name or candidacy.party)
            party.save()
            self.parties[code] = party
            self.created.append(party)
        return self.parties[code]
