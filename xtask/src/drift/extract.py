"""Lists what an installed chia-blockchain serves, for `cargo xtask drift`.

Run with the Python of a virtual environment that has chia-blockchain installed. Prints one JSON
document on stdout:

    {
      "chia_version": "2.7.5",
      "python": "3.11.7",
      "services": {
        "<name>": {"present": true, "routes": ["..."], "source": "module.Class"}
                | {"present": false, "note": "why not"}
      },
      "wallet_fields": {"present": true, "source": "...", "endpoints": {...},
                        "tx_request_extras": [...], "tx_response_extras": [...]}
                     | {"present": false, "note": "why not"},
      "error_codes": {"present": true, "source": "chia.rpc.rpc_errors.RpcErrorCodes",
                      "codes": ["..."]}
                   | {"present": false, "note": "why not"}
    }

Types of wallet fields use the schema's type language as JSON: a primitive is a string ("u64",
"str", "bytes32", "int" for a Python int of no fixed width); containers are objects
{"optional": T}, {"list": T}, {"tuple": [T, ...]}, {"map": [K, V]}; a class the schema would
declare as a named type is {"named": "ClassName"}; anything unknown is "any".

Nothing here starts a service: API classes are created without running `__init__`.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import inspect
import json
import re
import sys
import traceback
import types
import typing

# Anything printed while importing chia must not end up in the JSON on stdout.
_STDOUT = sys.stdout
sys.stdout = sys.stderr

# service -> candidate (module, class) pairs; modules moved between releases.
SERVICES = {
    "full_node": [
        ("chia.full_node.full_node_rpc_api", "FullNodeRpcApi"),
        ("chia.rpc.full_node_rpc_api", "FullNodeRpcApi"),
    ],
    "simulator": [
        ("chia.simulator.simulator_full_node_rpc_api", "SimulatorFullNodeRpcApi"),
    ],
    "wallet": [
        ("chia.wallet.wallet_rpc_api", "WalletRpcApi"),
        ("chia.rpc.wallet_rpc_api", "WalletRpcApi"),
    ],
    "farmer": [
        ("chia.farmer.farmer_rpc_api", "FarmerRpcApi"),
        ("chia.rpc.farmer_rpc_api", "FarmerRpcApi"),
    ],
    "harvester": [
        ("chia.harvester.harvester_rpc_api", "HarvesterRpcApi"),
        ("chia.rpc.harvester_rpc_api", "HarvesterRpcApi"),
    ],
    "data_layer": [
        ("chia.data_layer.data_layer_rpc_api", "DataLayerRpcApi"),
        ("chia.rpc.data_layer_rpc_api", "DataLayerRpcApi"),
    ],
    "crawler": [
        ("chia.seeder.crawler_rpc_api", "CrawlerRpcApi"),
        ("chia.rpc.crawler_rpc_api", "CrawlerRpcApi"),
    ],
    "timelord": [
        ("chia.timelord.timelord_rpc_api", "TimelordRpcApi"),
        ("chia.rpc.timelord_rpc_api", "TimelordRpcApi"),
    ],
    "solver": [
        ("chia.solver.solver_rpc_api", "SolverRpcApi"),
        ("chia.rpc.solver_rpc_api", "SolverRpcApi"),
    ],
}


class _Anything:
    """Stands in for attributes a bare API object lacks; every access and call succeeds."""

    def __getattr__(self, _name):
        return _Anything()

    def __call__(self, *_args, **_kwargs):
        return _Anything()


def _module_missing(name: str, err: ModuleNotFoundError) -> bool:
    """Whether `err` says `name` itself (not one of its imports) does not exist."""
    missing = getattr(err, "name", None) or ""
    return missing != "" and (name == missing or name.startswith(missing + "."))


def _import_first(candidates):
    """The first class of `candidates` that imports; (class, "module.Class") or (None, note)."""
    notes = []
    for module_name, class_name in candidates:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if _module_missing(module_name, err):
                notes.append(f"no module {module_name}")
                continue
            return None, f"cannot import {module_name}: {err!r}"
        except Exception as err:  # noqa: BLE001 - any import failure is reported, not raised
            return None, f"cannot import {module_name}: {err!r}"
        cls = getattr(module, class_name, None)
        if cls is None:
            notes.append(f"{module_name} has no {class_name}")
            continue
        return cls, f"{module_name}.{class_name}"
    return None, "not present in this version (" + "; ".join(notes) + ")"


def _route_names(routes) -> list[str]:
    return sorted({str(path).lstrip("/") for path in routes})


def _bare(cls):
    """An instance of `cls` whose `__init__` never ran."""
    obj = cls.__new__(cls)
    for attr in ("service", "full_node", "simulator_api", "service_name"):
        try:
            setattr(obj, attr, _Anything())
        except Exception:  # noqa: BLE001 - slots or properties: leave it unset
            pass
    return obj


def api_routes(candidates):
    cls, source = _import_first(candidates)
    if cls is None:
        return {"present": False, "note": source}
    try:
        routes = cls.get_routes(_bare(cls))
    except Exception as err:  # noqa: BLE001
        return {"present": False, "note": f"{source}.get_routes failed: {err!r}"}
    return {"present": True, "source": source, "routes": _route_names(routes)}


def shared_routes():
    cls, source = _import_first([("chia.rpc.rpc_server", "RpcServer")])
    if cls is None:
        return {"present": False, "note": source}
    table = getattr(cls, "_routes", None)
    if isinstance(table, dict):
        return {"present": True, "source": source + "._routes", "routes": _route_names(table)}
    # Older servers build the table in `_get_routes` from the API's routes plus their own.
    try:
        obj = cls.__new__(cls)
        obj.rpc_api = _Anything()
        obj.rpc_api.get_routes = lambda: {}
        obj.rpc_api_routes = {}
        routes = obj._get_routes()
    except Exception as err:  # noqa: BLE001
        return {"present": False, "note": f"{source}._get_routes failed: {err!r}"}
    return {"present": True, "source": source + "._get_routes", "routes": _route_names(routes)}


def daemon_routes():
    cls, source = _import_first([("chia.daemon.server", "WebSocketServer")])
    if cls is None:
        return {"present": False, "note": source}
    try:
        commands = set(cls.get_command_mapping(cls.__new__(cls)))
    except Exception as err:  # noqa: BLE001
        return {"present": False, "note": f"{source}.get_command_mapping failed: {err!r}"}
    # Commands answered inline by the message handler (`ping`).
    inline = []
    try:
        text = inspect.getsource(cls.handle_message)
        inline = sorted(set(re.findall(r'command\s*==\s*"(\w+)"', text)))
    except Exception:  # noqa: BLE001 - source unavailable: the table is still right
        pass
    keychain = []
    try:
        keychain = list(importlib.import_module("chia.daemon.keychain_server").keychain_commands)
    except Exception:  # noqa: BLE001
        pass
    return {
        "present": True,
        "source": source,
        "routes": sorted(commands | set(inline) | set(keychain)),
        "keychain": sorted(keychain),
        "inline": inline,
    }


# ---- wallet request / response classes -------------------------------------------------------

_PRIMS = {
    "uint8": "u8",
    "uint16": "u16",
    "uint32": "u32",
    "uint64": "u64",
    "uint128": "u128",
    "int8": "i8",
    "int16": "i16",
    "int32": "i32",
    "int64": "i64",
    "bytes4": "bytes4",
    "bytes8": "bytes8",
    "bytes32": "bytes32",
    "bytes48": "bytes48",
    "bytes96": "bytes96",
    "bytes100": "bytes100",
    "G1Element": "g1",
    "G2Element": "g2",
    "Program": "bytes",
    "SerializedProgram": "bytes",
    # Offers travel as bech32 strings (`offer1…`).
    "Offer": "str",
}


def shape(tp):
    """The schema-language shape of a Python annotation, as JSON (see the module doc)."""
    if tp is typing.Any or tp is object:
        return "any"
    if tp is type(None):
        return "none"
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union or (hasattr(types, "UnionType") and origin is types.UnionType):
        rest = [a for a in args if a is not type(None)]
        inner = shape(rest[0]) if len(rest) == 1 else "any"
        return {"optional": inner} if len(rest) < len(args) else inner
    if origin is typing.Literal:
        values = {type(a) for a in args}
        return "str" if values == {str} else "any"
    if origin in (list, set, frozenset) or origin is getattr(typing, "Sequence", None):
        return {"list": shape(args[0]) if args else "any"}
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"list": shape(args[0])}
        return {"tuple": [shape(a) for a in args]}
    if origin is dict:
        return {"map": [shape(args[0]), shape(args[1])] if len(args) == 2 else ["any", "any"]}
    if not isinstance(tp, type):
        return "any"
    name = tp.__name__
    if name in _PRIMS:
        return _PRIMS[name]
    if tp is bool:
        return "bool"
    if issubclass(tp, enum.Enum):
        values = {type(m.value) for m in tp}
        if values and all(issubclass(v, int) for v in values):
            return "int"
        return "str" if values == {str} else "any"
    if tp is str:
        return "str"
    if tp is float:
        return "f64"
    if tp is bytes:
        return "bytes"
    if issubclass(tp, int):
        return "int"
    if issubclass(tp, bytes):
        return "bytes"
    return {"named": name}


_NO_DEFAULT = (dataclasses.MISSING,)


def class_fields(cls):
    """Fields of a dataclass / streamable class: name, shape, whether it has a default."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # noqa: BLE001 - unresolvable forward references
        hints = {}
    out = []
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        tp = hints.get(f.name, f.type)
        factory = f.default_factory
        # Older classes mark required fields with a factory that raises (`default_raise`),
        # because a field without a default could not follow inherited ones with defaults.
        if factory not in _NO_DEFAULT and "raise" in getattr(factory, "__name__", ""):
            factory = dataclasses.MISSING
        has_default = f.default not in _NO_DEFAULT or factory not in _NO_DEFAULT
        out.append({"name": f.name, "type": shape(tp), "has_default": has_default})
    return out


def _tx_extras():
    """Request keys a transaction endpoint reads besides its class's fields."""
    extras = {"extra_conditions", "merge_spends", "exclude_coin_ids", "exclude_coin_amounts",
              "exclude_coins", "excluded_coins"}
    for module_name, class_name in (
        ("chia.wallet.util.tx_config", "TXConfigLoader"),
        ("chia.wallet.conditions", "ConditionValidTimes"),
    ):
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
            extras.update(f.name for f in dataclasses.fields(cls))
        except Exception:  # noqa: BLE001
            pass
    return sorted(extras)


def _endpoint_entry(request_type, response_type, tx_endpoint):
    try:
        return {
            "request_class": request_type.__name__,
            "response_class": response_type.__name__,
            "request": class_fields(request_type),
            "response": class_fields(response_type),
            "tx_endpoint": bool(tx_endpoint),
        }
    except Exception as err:  # noqa: BLE001
        return {"error": repr(err)}


def _closure(fn):
    """The free variables of `fn` by name."""
    code = getattr(fn, "__code__", None)
    cells = getattr(fn, "__closure__", None) or ()
    if code is None:
        return {}
    out = {}
    for name, cell in zip(code.co_freevars, cells):
        try:
            out[name] = cell.cell_contents
        except ValueError:  # empty cell
            pass
    return out


def _marshalled(handler):
    """(request class, response class, is a transaction endpoint) of a handler wrapped by
    `marshal` (and maybe `tx_endpoint`), or None for an untyped handler."""
    fn = getattr(handler, "__func__", handler)
    tx = False
    for _ in range(6):
        free = _closure(fn)
        if "merge_spends" in free:
            tx = True
        if "request_class" in free and "func" in free:
            hints = typing.get_type_hints(free["func"])
            response = hints.get("return")
            if isinstance(response, type):
                return free["request_class"], response, tx
            return None
        fn = free.get("func")
        if fn is None:
            return None
    return None


def _wallet_fields_from_handlers():
    """Before wallet_rpc_metadata existed, typed handlers were wrapped by `marshal`, whose
    closure holds the request class and the handler's return annotation."""
    cls, source = _import_first(SERVICES["wallet"])
    if cls is None:
        return None
    try:
        routes = cls.get_routes(_bare(cls))
    except Exception:  # noqa: BLE001
        return None
    endpoints = {}
    untyped = []
    for path, handler in routes.items():
        name = str(path).lstrip("/")
        try:
            found = _marshalled(handler)
        except Exception:  # noqa: BLE001
            found = None
        if found is None:
            untyped.append(name)
        else:
            endpoints[name] = _endpoint_entry(*found)
    if not endpoints:
        return None
    return {
        "present": True,
        "source": f"request/response classes of the marshalled handlers of {source}",
        "endpoints": endpoints,
        "untyped": sorted(untyped),
        "tx_request_extras": _tx_extras(),
        "tx_response_extras": ["sync_status"],
    }


def wallet_fields():
    try:
        metadata = importlib.import_module("chia.wallet.wallet_rpc_metadata")
    except ModuleNotFoundError as err:
        if not _module_missing("chia.wallet.wallet_rpc_metadata", err):
            return {"present": False, "note": f"cannot import wallet_rpc_metadata: {err!r}"}
        found = _wallet_fields_from_handlers()
        if found is not None:
            return found
        return {"present": False, "note": "not present in this version "
                "(no chia.wallet.wallet_rpc_metadata, no marshalled handlers)"}
    except Exception as err:  # noqa: BLE001
        return {"present": False, "note": f"cannot import wallet_rpc_metadata: {err!r}"}
    table = getattr(metadata, "WALLET_RPC_ENDPOINT_METADATA", None)
    if table is None:
        return {"present": False, "note": "wallet_rpc_metadata has no WALLET_RPC_ENDPOINT_METADATA"}
    endpoints = {}
    for entry in table:
        name = getattr(entry, "endpoint_name", "?")
        endpoints[name] = _endpoint_entry(
            entry.request_type, entry.response_type, getattr(entry, "tx_endpoint", False)
        )
    return {
        "present": True,
        "source": "chia.wallet.wallet_rpc_metadata.WALLET_RPC_ENDPOINT_METADATA",
        "endpoints": endpoints,
        "untyped": [],
        "tx_request_extras": _tx_extras(),
        "tx_response_extras": ["sync_status"],
    }


# ---- structured error codes ------------------------------------------------------------------


def error_codes():
    """The values of `RpcErrorCodes`, the codes of structured RPC errors; older releases have
    none, which is a note, not a failure."""
    cls, source = _import_first([("chia.rpc.rpc_errors", "RpcErrorCodes")])
    if cls is None:
        return {"present": False, "note": source}
    try:
        codes = sorted({str(getattr(member, "value", member)) for member in cls})
    except Exception as err:  # noqa: BLE001
        return {"present": False, "note": f"cannot list {source}: {err!r}"}
    return {"present": True, "source": source, "codes": codes}


def chia_version() -> str:
    try:
        from importlib.metadata import version

        return version("chia-blockchain")
    except Exception:  # noqa: BLE001
        return "unknown"


def main() -> None:
    services = {"shared": shared_routes()}
    for name, candidates in SERVICES.items():
        services[name] = api_routes(candidates)
    services["daemon"] = daemon_routes()
    report = {
        "chia_version": chia_version(),
        "python": "%d.%d.%d" % sys.version_info[:3],
        "services": services,
        "wallet_fields": wallet_fields(),
        "error_codes": error_codes(),
    }
    _STDOUT.write(json.dumps(report, indent=1, sort_keys=True))
    _STDOUT.write("\n")
    _STDOUT.flush()


if __name__ == "__main__":
    try:
        main()
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        sys.exit(2)
