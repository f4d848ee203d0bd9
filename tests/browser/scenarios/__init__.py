"""Browser scenarios beyond tests/browser/drive.py's own, one module per area; run as
`python -m tests.browser.drive tests.browser.scenarios.<module>:<function> <base> <out>`."""
