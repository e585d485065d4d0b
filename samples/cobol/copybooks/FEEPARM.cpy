      *================================================================*
      * FEEPARM  - PARAMETER BLOCK FOR THE FEE ENGINE (FEECALC).       *
      *            ENTRY FEECALC  : ASSESS FEES FOR ONE ACCOUNT        *
      *            ENTRY FEEWAIVE : STAFF ACCOUNTS, ALL FEES WAIVED    *
      *================================================================*
       01  FEE-PARMS.
           05  FEE-ACCT-TYPE           PIC X(01).
           05  FEE-BALANCE             PIC S9(11)V99 COMP-3.
           05  FEE-MIN-BALANCE         PIC S9(07)V99 COMP-3.
           05  FEE-OD-LIMIT            PIC S9(07)V99 COMP-3.
           05  FEE-TXN-COUNT           PIC S9(05) COMP-3.
           05  FEE-AMOUNT              PIC S9(07)V99 COMP-3.
           05  FEE-CODE                PIC X(03).
           05  FEE-RC                  PIC X(02).
               88  FEE-OK              VALUE '00'.
               88  FEE-WAIVED          VALUE '04'.
               88  FEE-ERROR           VALUE '08'.
