// expect: calling 'memoize' on a { … } block is not allowed
def f = { n -> n * 2 }.memoize()
(1..2000000000).each { f(it) }
