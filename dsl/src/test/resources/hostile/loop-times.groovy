// expect: took longer than || MiB of memory
2000000000.times { }
