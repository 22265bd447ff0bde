// expect: 'as' coercion are not allowed
def r = [run: { 'touch CANARY'.execute() }] as Runnable
