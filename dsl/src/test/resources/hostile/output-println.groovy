// expect: 'println' is not allowed
100.times { println 'spam' }
