"""Editorial reports (`/editorial/reports/`): backlog, throughput, turnaround,
reviewers, draft quality and agreement between the two reviews of high-risk
revisions (Cohen's kappa: `kappa`, `agreement`), as pages, CSV and a full
export built by Celery.

Entry point: `queries` and `sql` read the data, `tables` and `charts` shape
it, `views`, `forms` and `urls` serve it, `tasks` builds exports. May import
`editorial.access`, `editorial.audit`, `editorial.enqueue`, `editorial.models`
and `answers`.
"""
