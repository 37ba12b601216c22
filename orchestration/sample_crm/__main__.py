"""``python -m orchestration.sample_crm``: see :mod:`orchestration.sample_crm.cli`."""

from orchestration.sample_crm.cli import main

raise SystemExit(main())
