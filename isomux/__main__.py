from isomux.cli import main

raise SystemExit(main())
