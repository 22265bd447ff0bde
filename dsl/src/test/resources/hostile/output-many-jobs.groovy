// expect: more than 100 jobs
200.times { n -> job("j$n") { } }
