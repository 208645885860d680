"""Running a WAST script: checking each command and recording its outcome.

Without an :class:`~wasmport.script.engine.Engine` the runner checks all that
needs no execution:

* ``module``: it must decode (or parse) and validate;
* ``assert_malformed``: reading it must raise :class:`DecodeError` (binary) or
  :class:`ParseError` (text, quoted text);
* ``assert_invalid``: it must read, then validation must raise
  :class:`ValidationError`;
* ``assert_unlinkable``, ``assert_uninstantiable`` and ``assert_trap`` on a
  module: the module must read and validate; the runtime part is skipped;
* ``assert_malformed_custom``/``assert_invalid_custom`` are checked like
  ``assert_malformed``/``assert_invalid``, with the custom annotations and
  sections wasmport understands (``@custom``, ``@name``, branch hints) read
  and checked too (:func:`~wasmport.valid.custom.check_custom_sections`);
* everything that needs execution is skipped.

The error *class* decides pass or fail. Independently, a message that does not
start with the script's expected text is recorded as a message mismatch.
Any unexpected exception while checking a command fails that command.
"""

from __future__ import annotations

from typing import Callable, Dict, Iterable, Optional, Tuple, Union

from ..errors import ValidationError, WasmError
from ..features import Features
from ..syntax.ast import Module
from ..valid.custom import check_custom_sections
from .ast import (
    AssertInvalid,
    AssertInvalidCustom,
    AssertMalformed,
    AssertMalformedCustom,
    AssertTrap,
    AssertUninstantiable,
    AssertUnlinkable,
    Command,
    ModuleCommand,
    ModuleSource,
    Script,
    Thread,
)
from .engine import Engine
from .executor import Executor
from .loader import load_module, malformed_error_class, read_module
from .parser import parse_script
from .report import CommandResult, Outcome, ScriptReport


def describe_error(error: BaseException) -> str:
    """``ClassName "message"`` for wasmport errors, more detail for others."""
    if isinstance(error, WasmError):
        return f'{type(error).__name__} "{error.message}" ({error})'
    return f"internal error {type(error).__name__}: {error}"


def _message_mismatch(error: WasmError, expected: str) -> bool:
    return not error.message.startswith(expected)


class ScriptRunner:
    """Checks the commands of scripts, optionally executing them on an engine."""

    def __init__(self, features: Optional[Features] = None, engine: Optional[Engine] = None):
        self.features = features if features is not None else Features.all()
        self.engine = engine
        #: The module the static check just loaded, so execution need not load it again.
        self._last_loaded: Optional[Tuple[ModuleSource, Module]] = None
        self._handlers: Dict[type, Callable[[Script, Command], CommandResult]] = {
            ModuleCommand: self._module,
            AssertMalformed: self._assert_malformed,
            AssertInvalid: self._assert_invalid,
            AssertUnlinkable: self._assert_module_fails,
            AssertUninstantiable: self._assert_module_fails,
            AssertTrap: self._assert_trap,
            AssertMalformedCustom: self._assert_custom,
            AssertInvalidCustom: self._assert_custom,
        }

    # ------------------------------------------------------------ entry points

    def run_file(self, path: str) -> ScriptReport:
        """Parse and run the script in ``path``; a parse error is one failure."""
        report = ScriptReport(path)
        try:
            with open(path, "rb") as stream:
                source = stream.read()
        except OSError as error:
            report.add(CommandResult(path, 0, "script", Outcome.FAILED, "a readable file",
                                     f"{type(error).__name__}: {error.strerror}"))
            return report
        try:
            script = parse_script(source, path)
        except Exception as error:  # noqa: BLE001 - reported as the script's failure
            line = getattr(error, "line", 0)
            report.add(
                CommandResult(path, line, "script", Outcome.FAILED,
                              "a script that parses", describe_error(error))
            )
            return report
        return self.run(script, report)

    def run(self, script: Script, report: Optional[ScriptReport] = None) -> ScriptReport:
        report = report if report is not None else ScriptReport(script.filename)
        executor = Executor(self.engine, script.filename) if self.engine else None
        for result in self._results(script, script.commands, executor):
            report.add(result)
        return report

    def _results(
        self, script: Script, commands: Iterable[Command], executor: Optional[Executor]
    ) -> Iterable[CommandResult]:
        for command in commands:
            if isinstance(command, Thread) and executor is None:
                # Statically, a thread's commands are checked like top-level ones.
                yield from self._results(script, command.commands, None)
                yield self._skip(script, command, "execution")
                continue
            yield self._check(script, command, executor)

    def _check(
        self, script: Script, command: Command, executor: Optional[Executor]
    ) -> CommandResult:
        try:
            handler = self._handlers.get(type(command))
            static = handler(script, command) if handler else None
            if static is not None and static.outcome is not Outcome.SKIPPED:
                return static
            if executor is None:
                return static or self._skip(script, command, "execution")
            return executor.execute(command, self._load)
        except Exception as error:  # noqa: BLE001 - any bug is this command's failure
            return self._result(script, command, Outcome.FAILED, "no internal error",
                                describe_error(error))

    # ------------------------------------------------------------ helpers

    def _load(self, command: ModuleCommand, filename: str) -> Module:
        last = self._last_loaded
        if last is not None and last[0] is command.source:
            return last[1]
        return load_module(command.source, filename, self.features)

    @staticmethod
    def _result(
        script: Script,
        command: Union[Command, ModuleCommand],
        outcome: Outcome,
        expected: str = "",
        actual: str = "",
        mismatch: bool = False,
    ) -> CommandResult:
        return CommandResult(
            script.filename, command.line, command.kind, outcome, expected, actual, mismatch
        )

    def _skip(self, script: Script, command: Command, needs: str) -> CommandResult:
        return self._result(script, command, Outcome.SKIPPED, f"{needs} (needs an engine)",
                            "skipped")

    def _expect_valid(self, script: Script, command: Command, module: ModuleCommand
                      ) -> Optional[CommandResult]:
        """None if ``module`` reads and validates, else the failure of ``command``."""
        try:
            loaded = load_module(module.source, script.filename, self.features)
        except WasmError as error:
            return self._result(script, command, Outcome.FAILED, "a valid module",
                                describe_error(error))
        self._last_loaded = (module.source, loaded)
        return None

    # ------------------------------------------------------------ handlers

    def _module(self, script: Script, command: Command) -> CommandResult:
        if not isinstance(command, ModuleCommand):
            raise TypeError(command)
        failure = self._expect_valid(script, command, command)
        if failure is not None:
            return failure
        if self.engine is not None:
            return self._skip(script, command, "instantiation")
        return self._result(script, command, Outcome.PASSED)

    def _expect_error(
        self,
        script: Script,
        command: Union[AssertMalformed, AssertInvalid, AssertMalformedCustom, AssertInvalidCustom],
        wanted: type[WasmError],
        action: Callable[[], object],
    ) -> CommandResult:
        expected = f'{wanted.__name__} "{command.message}"'
        try:
            action()
        except WasmError as error:
            if isinstance(error, wanted):
                mismatch = _message_mismatch(error, command.message)
                return self._result(script, command, Outcome.PASSED, expected,
                                    describe_error(error), mismatch)
            return self._result(script, command, Outcome.FAILED, expected,
                                describe_error(error))
        return self._result(script, command, Outcome.FAILED, expected, "no error")

    def _assert_malformed(self, script: Script, command: Command) -> CommandResult:
        if not isinstance(command, AssertMalformed):
            raise TypeError(command)
        source = command.module.source
        return self._expect_error(
            script, command, malformed_error_class(source),
            lambda: read_module(source, script.filename, self.features),
        )

    def _assert_invalid(self, script: Script, command: Command) -> CommandResult:
        if not isinstance(command, AssertInvalid):
            raise TypeError(command)
        source = command.module.source
        return self._expect_error(
            script, command, ValidationError,
            lambda: load_module(source, script.filename, self.features),
        )

    def _assert_module_fails(self, script: Script, command: Command) -> CommandResult:
        """assert_unlinkable / assert_uninstantiable: the module itself must be valid."""
        if not isinstance(command, (AssertUnlinkable, AssertUninstantiable)):
            raise TypeError(command)
        failure = self._expect_valid(script, command, command.module)
        return failure or self._skip(script, command, "instantiation")

    def _assert_trap(self, script: Script, command: Command) -> CommandResult:
        if not isinstance(command, AssertTrap):
            raise TypeError(command)
        if isinstance(command.target, ModuleCommand):
            failure = self._expect_valid(script, command, command.target)
            if failure is not None:
                return failure
        return self._skip(script, command, "execution")

    def _assert_custom(self, script: Script, command: Command) -> CommandResult:
        """Like assert_malformed / assert_invalid, with the custom sections
        wasmport understands checked too (:func:`check_custom_sections`)."""
        if isinstance(command, AssertMalformedCustom):
            source = command.module.source
            return self._expect_error(
                script, command, malformed_error_class(source),
                lambda: self._read_customs(source, script.filename),
            )
        if isinstance(command, AssertInvalidCustom):
            source = command.module.source
            return self._expect_error(
                script, command, ValidationError,
                lambda: check_custom_sections(
                    load_module(source, script.filename, self.features)),
            )
        raise TypeError(command)

    def _read_customs(self, source: ModuleSource, filename: str) -> None:
        """Read ``source``; a binary's custom sections must also decode."""
        module = read_module(source, filename, self.features)
        try:
            check_custom_sections(module)
        except ValidationError:
            pass  # well formed: only whether the section is valid is in doubt


def run_file(path: str, features: Optional[Features] = None) -> ScriptReport:
    """Check the script in ``path`` statically (no engine)."""
    return ScriptRunner(features).run_file(path)


__all__ = ["ScriptRunner", "describe_error", "run_file"]
