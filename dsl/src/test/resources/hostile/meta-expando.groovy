// expect: creating objects with 'new'
def e = new Expando(run: { 'touch CANARY'.execute() })
