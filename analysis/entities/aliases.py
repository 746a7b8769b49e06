"""User aliases: what a new one would change (`check_alias`), and which stored ones the shipped
table still accepts (`valid_aliases`)."""

from __future__ import annotations

from collections.abc import Sequence

from analysis.entities.table import EntityTableError, UserAlias, default_table


def valid_aliases(aliases: Sequence[UserAlias]) -> tuple[tuple[UserAlias, ...], tuple[UserAlias, ...]]:
    """(kept, skipped) of stored user aliases: one the shipped table no longer accepts (say, its
    entity became another type in a newer table) is skipped rather than failing every analysis."""
    aliases = tuple(aliases)
    try:
        default_table(aliases)
        return aliases, ()
    except EntityTableError:
        pass
    kept: list[UserAlias] = []
    skipped: list[UserAlias] = []
    for alias in aliases:
        try:
            default_table((*kept, alias))
        except EntityTableError:
            skipped.append(alias)
        else:
            kept.append(alias)
    return tuple(kept), tuple(skipped)


def check_alias(
    alias: str, canonical: str, type_: str | None, stored: Sequence[UserAlias] = ()
) -> tuple[UserAlias, str | None]:
    """A new user alias as the table would take it next to the `stored` ones, and the entity it
    named before (None when it named none). `canonical` may be any name the table knows for the
    entity (Xiaomi -> 小米); `type_` None takes that entity's type. Raises EntityTableError when the
    alias says nothing or nothing new (codes `alias_empty`, `alias_need_type` with `canonical`,
    `alias_known` with `alias` and `canonical`) or conflicts (the table's own codes)."""
    alias, canonical = " ".join(alias.split()), " ".join(canonical.split())
    if not alias or not canonical:
        raise EntityTableError("give both the alias and the entity it names", code="alias_empty")
    table = default_table(stored)
    current = table.get(canonical) or table.resolve(canonical)
    if current is not None:
        canonical = current.name
    elif type_ is None:
        raise EntityTableError(
            f"{canonical!r} is not in the entity table: a new entity needs a type",
            code="alias_need_type",
            canonical=canonical,
        )
    previous = table.resolve(alias)
    if previous is not None and previous.name == canonical:
        raise EntityTableError(
            f"{alias!r} already names {canonical!r}", code="alias_known", alias=alias, canonical=canonical
        )
    item = (alias, canonical, type_ or (current.type if current else ""))
    default_table((*stored, item))  # raises EntityTableError on a conflict (e.g. another type)
    return item, previous.name if previous is not None else None
