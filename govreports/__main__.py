from govreports.cli import main

raise SystemExit(main())
