// expect: calling 'еxecute' on a String is not allowed || Cannot find matching method java.lang.String#еxecute()
'touch CANARY'.еxecute()
