// expect: Unexpected character: '\'
\u0053ystem.exit(3)
