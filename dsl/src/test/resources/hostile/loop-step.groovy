// expect: took longer than || MiB of memory
0.step(2000000000, 1) { }
