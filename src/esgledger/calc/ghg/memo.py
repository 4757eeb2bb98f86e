"""What a kept GHG run remembers between its computations: every factor lookup's answer
(:class:`MemoFactors`) and each methodology call's result by its arguments (:class:`_Calls`), so
that an update after one changed fact recomputes only what the fact reaches."""
from __future__ import annotations

from decimal import Decimal

from esgledger.calc.methods import energy as m_energy
from esgledger.calc.methods.result import Result
from esgledger.library.factors import FactorLibrary, FactorLookupError, FactorValue


class MemoFactors:
    """A factor library that remembers every lookup's answer (or its refusal). One run asks
    the same questions for many entities; a kept run asks them again for each update. The
    answers cannot change while the library is the same object (a changed factor set is a new
    library, and a full run)."""

    def __init__(self, library: FactorLibrary, entity: tuple[str, ...] = (), memo: dict | None = None):
        self._lib = library
        self._memo: dict[tuple, tuple[bool, object]] = {} if memo is None else memo
        # the entity the lookups are for and its parents, nearest first (for a value of the
        # workspace's that names its entities); the answers to the other keys are shared
        self._entity = entity
        self._scoped = library.scoped_keys if entity else frozenset()
        self._at: dict[tuple[str, ...], MemoFactors] = {}

    @property
    def scoped(self) -> bool:
        """Whether some value of the library is for some entities only."""
        return bool(self._lib.scoped_keys)

    def at(self, entity: tuple[str, ...]) -> "MemoFactors":
        """The same library, asked for ``entity`` (the entity and its parents): itself where no
        value names an entity, else one object per entity, remembering with this one."""
        if not self._lib.scoped_keys:
            return self
        got = self._at.get(entity)
        if got is None:
            got = self._at[entity] = MemoFactors(self._lib, entity, self._memo)
        return got

    def lookup(self, key: str, on=None, *, prefer=(), sets=None, latest: bool = False, dims=None, **kw):
        if key in self._scoped:  # a value may be for some entities: asked for this one
            kw["entity"] = self._entity
        try:
            if dims is None and all(type(v) is str for v in kw.values()):
                # the usual question (members named as text): its dimensions as the call gives
                # them; the same question asked in another order is remembered twice, to the
                # same answer
                query = tuple(kw.items())
            else:  # members as the library compares them (as text)
                query = tuple(sorted((k, str(v)) for k, v in {**(dims or {}), **kw}.items()))
            memo_key = (key, on, tuple(prefer), None if sets is None else tuple(sets), latest, query)
            hit = self._memo.get(memo_key)
        except TypeError:  # an unhashable argument: ask the library
            return self._lib.lookup(key, on, prefer=prefer, sets=sets, latest=latest, dims=dims, **kw)
        if hit is None:
            try:
                hit = (True, self._lib.lookup(key, on, prefer=prefer, sets=sets, latest=latest, dims=dims, **kw))
            except FactorLookupError as exc:
                hit = (False, exc.problem)
            self._memo[memo_key] = hit
        if hit[0]:
            return hit[1]
        raise FactorLookupError(hit[1])

    # the library's own find and gwp, going through the remembering lookup above
    find = FactorLibrary.find
    gwp = FactorLibrary.gwp

    def __getattr__(self, name: str):
        return getattr(self._lib, name)


class _Calls:
    """The methodology calls of one part of a run (an entity's sources, or its Scope 2 and 3),
    each result by the call's arguments, with those of the part's last computation. A method is
    a function of its arguments (facts' values, factor values, the run's factor library and
    GWP set), so a call with the same arguments has that result: when one activity fact of an
    entity changes, the methods reading its other facts are not run again. Only the results of
    the part's last computation are kept (the call makes a new one, reading the old)."""

    def __init__(self, last: "_Calls | None"):
        self._last = {} if last is None else last._now
        # key -> (result, the arguments: kept alive, as a key names factor values by identity)
        self._now: dict[tuple, tuple] = {}

    def __call__(self, fn, *args, **kw):
        key = _call_key(fn, args, kw)
        if key is None:  # an argument of a kind not told apart exactly: not remembered
            return fn(*args, **kw)
        hit = self._now.get(key) or self._last.get(key)
        if hit is None:
            hit = (fn(*args, **kw), args, kw)
        self._now[key] = hit
        return hit[0]


def _call_key(fn, args: tuple, kw: dict) -> tuple | None:
    """A key equal to another only for the same call: text, whole numbers, booleans and None by
    type and value (1 is not True), decimals by their exact text (1.0 is not 1.00, -0 is not
    0), factor values, results and the factor library by identity (a _Calls entry keeps its
    arguments alive), energy uses by their fields, tuples of those; None if an argument is of
    any other kind. Flat: each argument is its type, then what tells it apart (a tuple: its
    length, then its items), each keyword argument its name first. (The usual kinds are
    handled here, the rest by _flat_key: the same key either way.) A call whose arguments are
    all text, whole numbers, None or the factor library — whose equality is exact, and the
    library's is identity — is keyed by them as they are: (fn, args, keyword items), a key the
    flat ones (whose second item is a type) never equal."""
    safe = _SAFE_TYPES
    for v in args:
        if type(v) not in safe:
            break
    else:
        for v in kw.values():
            if type(v) not in safe:
                break
        else:
            return fn, args, tuple(kw.items())
    out: list = [fn]
    add = out.append
    try:  # the positional arguments, then each keyword's name and value
        for name, v in (*((None, v) for v in args), *kw.items()):
            if name is not None:
                add(name)
            t = type(v)
            if t is str or t is Decimal or t is MemoFactors or t is FactorValue or t is int or v is None:
                add(t)
                add(str(v) if t is Decimal else id(v) if t is MemoFactors or t is FactorValue else v)
            else:
                _flat_key(v, add)
    except _NoKey:
        return None
    return tuple(out)


class _NoKey(Exception):
    pass


_PLAIN_TYPES = frozenset({str, int, bool, type(None)})
_SAFE_TYPES = frozenset({str, int, type(None), MemoFactors})  # == only for the same value (or object)


def _flat_key(v, add) -> None:
    t = type(v)
    add(t)
    if t in _PLAIN_TYPES:
        add(v)
    elif t is Decimal:
        add(str(v))
    elif t is FactorValue or t is Result or t is MemoFactors:
        add(id(v))
    elif t is tuple:
        add(len(v))
        for x in v:
            _flat_key(x, add)
    elif t is m_energy.EnergyUse:
        _flat_key(v.carrier, add)
        _flat_key(v.amount, add)
        _flat_key(v.unit, add)
        _flat_key(v.coefficient, add)
        _flat_key(v.coefficient_unit, add)
        _flat_key(v.density, add)
    else:
        raise _NoKey
