"""What leaves the app for people to keep: printable HTML reports, session bundles a coach
collects from several laptops, the coach's overview and Anki study decks.

One module per idea: `html` (the report page and its chart), `bundle` (the bundle file
format, read without trusting it), `coach` (candidates, sessions and scores per module),
`anki` (the study deck). The report's data model is `feedback.report.SessionReport`.
"""
