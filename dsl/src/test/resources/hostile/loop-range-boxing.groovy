// expect: took longer than || MiB of memory
(1..2000000000).each { n -> }
