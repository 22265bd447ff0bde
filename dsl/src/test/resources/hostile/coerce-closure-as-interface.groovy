// expect: 'as' coercion are not allowed
def c = { 'touch CANARY'.execute() } as java.util.concurrent.Callable
c.call()
