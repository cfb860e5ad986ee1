"""ciscoconfparse2 without its logging wrappers: the same parse, in about two thirds of the time.

ciscoconfparse2 decorates some 1,200 of its functions, methods and property accessors with
loguru's ``@logger.catch(reraise=True)``: each call enters a context manager that, on an
exception, logs it and raises it again. Reading a 30,000-line configuration makes millions of such
calls, and the wrappers alone are about a third of ciscoconfparse2's time. netaudit silences
ciscoconfparse2's logging, so for it a wrapper does nothing but raise the same exception the
wrapped function raised: calling the wrapped function directly gives the same results and the same
exceptions.

``unwrap()`` puts the wrapped functions back in ciscoconfparse2's modules and classes, and only
where the wrapper is provably that one: a loguru ``catch_wrapper`` whose catcher re-raises and has
no ``onerror`` callback. Anything else (another ciscoconfparse2 or loguru version) is left as it is,
so the worst case is the speed of before. It changes ciscoconfparse2 for the whole process (a
program that imports netaudit's parsers and wants ciscoconfparse2's exception logging should not).
"""

from __future__ import annotations

import sys
import types
from typing import Any

_WRAPPER_NAME = "catch_wrapper"


def unwrap(prefix: str = "ciscoconfparse2") -> int:
    """Unwrap every re-raising ``logger.catch`` wrapper in the loaded modules named ``prefix[.…]``;
    returns how many were replaced."""
    replaced = 0
    for name, module in list(sys.modules.items()):
        if module is None or not (name == prefix or name.startswith(prefix + ".")):
            continue
        for attribute, value in list(vars(module).items()):
            plain = _unwrapped(value)
            if plain is not value:
                setattr(module, attribute, plain)
                replaced += 1
            if isinstance(value, type) and value.__module__.startswith(prefix):
                replaced += _unwrap_class(value)
    return replaced


def _unwrap_class(cls: type) -> int:
    replaced = 0
    for attribute, member in list(vars(cls).items()):
        plain = _unwrapped_member(member)
        if plain is not member:
            setattr(cls, attribute, plain)
            replaced += 1
    return replaced


def _unwrapped_member(member: Any) -> Any:
    """A class member with its accessors unwrapped (functions, static and class methods, properties)."""
    if isinstance(member, types.FunctionType):
        return _unwrapped(member)
    if type(member) in (staticmethod, classmethod):
        plain = _unwrapped(member.__func__)
        return member if plain is member.__func__ else type(member)(plain)
    if type(member) is property:
        accessors = (member.fget, member.fset, member.fdel)
        plain = tuple(_unwrapped(a) if a is not None else None for a in accessors)
        if all(p is a for p, a in zip(plain, accessors, strict=True)):
            return member
        return property(*plain, member.__doc__)
    return member


def _unwrapped(function: Any) -> Any:
    """The function a re-raising loguru ``catch`` wrapper wraps (through nested ones), else itself."""
    while _is_reraising_catch_wrapper(function):
        function = function.__wrapped__
    return function


def _is_reraising_catch_wrapper(function: Any) -> bool:
    if not isinstance(function, types.FunctionType) or function.__code__.co_name != _WRAPPER_NAME:
        return False
    if "loguru" not in function.__code__.co_filename or not hasattr(function, "__wrapped__"):
        return False
    catcher = _closure_value(function, "catcher")
    exit_method = getattr(type(catcher), "__exit__", None)
    if not isinstance(exit_method, types.FunctionType):
        return False
    return _closure_value(exit_method, "reraise") is True and _closure_value(exit_method, "onerror", missing=None) is None


def _closure_value(function: types.FunctionType, name: str, missing: Any = ...) -> Any:
    """A free variable's value in a function's closure (``missing`` when it has none by that name)."""
    names = function.__code__.co_freevars
    if name not in names or function.__closure__ is None:
        return missing
    try:
        return function.__closure__[names.index(name)].cell_contents
    except ValueError:  # an empty cell
        return missing
