"""Executing the script commands that need a runtime, through an :class:`Engine`.

The :class:`~wasmport.script.runner.ScriptRunner` checks everything static
itself and hands the rest here when it has an engine. Each handler performs
the command on the engine and judges the outcome: results against their
patterns, failures by the exception classes the engine declares.
"""

from __future__ import annotations

from typing import Callable, Dict, Tuple

from ..syntax.ast import Module
from .ast import (
    Action,
    ActionCommand,
    AssertException,
    AssertExhaustion,
    AssertReturn,
    AssertTrap,
    AssertUninstantiable,
    AssertUnlinkable,
    Command,
    Get,
    InstanceCommand,
    ModuleCommand,
    Register,
)
from .engine import Engine, Result
from .matching import matches
from .report import CommandResult, Outcome

#: Loads (reads and validates) the module of a module command.
Loader = Callable[[ModuleCommand, str], Module]


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


class Executor:
    """Performs the runtime commands of one script on ``engine``."""

    def __init__(self, engine: Engine, filename: str) -> None:
        self.engine = engine
        self.filename = filename
        self._handlers: Dict[type, Callable[[Command, Loader], CommandResult]] = {
            ModuleCommand: self._module,
            InstanceCommand: self._instance,
            Register: self._register,
            ActionCommand: self._action,
            AssertReturn: self._assert_return,
            AssertTrap: self._assert_trap,
            AssertExhaustion: self._assert_exhaustion,
            AssertException: self._assert_exception,
            AssertUnlinkable: self._assert_unlinkable,
            AssertUninstantiable: self._assert_uninstantiable,
        }

    def execute(self, command: Command, load: Loader) -> CommandResult:
        handler = self._handlers.get(type(command))
        if handler is None:
            return self._result(
                command, Outcome.SKIPPED, "execution", "not supported by the engine hook"
            )
        return handler(command, load)

    def _result(
        self, command: Command, outcome: Outcome, expected: str = "", actual: str = ""
    ) -> CommandResult:
        return CommandResult(self.filename, command.line, command.kind, outcome, expected, actual)

    def _perform(self, action: Action) -> Tuple[Result, ...]:
        if isinstance(action, Get):
            return (self.engine.get(action.module, action.name),)
        return self.engine.invoke(action.module, action.name, action.args)

    def _expect_failure(
        self,
        command: Command,
        errors: Tuple[type[BaseException], ...],
        message: str,
        run: Callable[[], object],
    ) -> CommandResult:
        names = "/".join(error.__name__ for error in errors) or "an error"
        expected = f'{names} "{message}"'
        try:
            run()
        except errors as error:
            return self._result(command, Outcome.PASSED, expected, _error_text(error))
        return self._result(command, Outcome.FAILED, expected, "no error")

    # ------------------------------------------------------------ handlers

    def _module(self, command: Command, load: Loader) -> CommandResult:
        if not isinstance(command, ModuleCommand):
            raise TypeError(command)
        module = load(command, self.filename)
        if command.definition:
            self.engine.define(module, command.id)
        else:
            self.engine.instantiate(module, command.id)
        return self._result(command, Outcome.PASSED)

    def _instance(self, command: Command, load: Loader) -> CommandResult:
        if not isinstance(command, InstanceCommand):
            raise TypeError(command)
        self.engine.instantiate_definition(command.module, command.instance)
        return self._result(command, Outcome.PASSED)

    def _register(self, command: Command, load: Loader) -> CommandResult:
        if not isinstance(command, Register):
            raise TypeError(command)
        self.engine.register(command.name, command.module)
        return self._result(command, Outcome.PASSED)

    def _action(self, command: Command, load: Loader) -> CommandResult:
        if not isinstance(command, ActionCommand):
            raise TypeError(command)
        self._perform(command.action)
        return self._result(command, Outcome.PASSED)

    def _assert_return(self, command: Command, load: Loader) -> CommandResult:
        if not isinstance(command, AssertReturn):
            raise TypeError(command)
        results = self._perform(command.action)
        expected = repr(command.results)
        if len(results) == len(command.results) and all(
            matches(pattern, result) for pattern, result in zip(command.results, results)
        ):
            return self._result(command, Outcome.PASSED, expected, repr(results))
        return self._result(command, Outcome.FAILED, expected, repr(results))

    def _assert_trap(self, command: Command, load: Loader) -> CommandResult:
        if not isinstance(command, AssertTrap):
            raise TypeError(command)
        target = command.target
        run: Callable[[], object]
        if isinstance(target, ModuleCommand):
            module = load(target, self.filename)
            run = lambda: self.engine.instantiate(module, target.id)  # noqa: E731
        else:
            run = lambda: self._perform(target)  # noqa: E731
        return self._expect_failure(command, self.engine.trap_errors, command.message, run)

    def _assert_exhaustion(self, command: Command, load: Loader) -> CommandResult:
        if not isinstance(command, AssertExhaustion):
            raise TypeError(command)
        action = command.action
        return self._expect_failure(
            command, self.engine.exhaustion_errors, command.message,
            lambda: self._perform(action),
        )

    def _assert_exception(self, command: Command, load: Loader) -> CommandResult:
        if not isinstance(command, AssertException):
            raise TypeError(command)
        action = command.action
        return self._expect_failure(
            command, self.engine.exception_errors, "exception", lambda: self._perform(action)
        )

    def _assert_unlinkable(self, command: Command, load: Loader) -> CommandResult:
        if not isinstance(command, AssertUnlinkable):
            raise TypeError(command)
        module = load(command.module, self.filename)
        return self._expect_failure(
            command, self.engine.link_errors, command.message,
            lambda: self.engine.instantiate(module, command.module.id),
        )

    def _assert_uninstantiable(self, command: Command, load: Loader) -> CommandResult:
        if not isinstance(command, AssertUninstantiable):
            raise TypeError(command)
        module = load(command.module, self.filename)
        return self._expect_failure(
            command, self.engine.trap_errors, command.message,
            lambda: self.engine.instantiate(module, command.module.id),
        )


__all__ = ["Executor", "Loader"]
