// expect: took longer than || MiB of memory
[1].each { [2].each { while (true) { [3].each { } } } }
