"""Errors the workbook raises on purpose: each carries a message a user can act on."""


class SxshError(Exception):
    """A problem the user can fix (bad file, bad parameter). The CLI prints it as one line, exit 2."""


class FileProblem(SxshError):
    """A whole-file problem: unreadable, empty, unknown format, missing columns.

    ``str()`` gives ``"<file>: <what is wrong>"``.
    """

    def __init__(self, file: str, problem: str):
        self.file = file
        self.problem = problem
        super().__init__(f"{file}: {problem}")
