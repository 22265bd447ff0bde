// expect: took longer than
(1..2000000000).each { n -> }
