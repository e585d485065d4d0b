      *================================================================*
      * TXNREC   - DAILY TELLER / ATM TRANSACTION RECORD (80 BYTES)    *
      *================================================================*
       01  TXN-REC.
           05  TXN-ACCT-NUMBER         PIC X(10).
           05  TXN-CODE                PIC X(02).
               88  TXN-DEPOSIT         VALUE 'DP'.
               88  TXN-WITHDRAWAL      VALUE 'WD'.
               88  TXN-LOAN-PAYMENT    VALUE 'LP'.
               88  TXN-FEE             VALUE 'FE'.
               88  TXN-VALID-CODE      VALUE 'DP' 'WD' 'LP' 'FE'.
           05  TXN-AMOUNT              PIC S9(09)V99.
           05  TXN-DATE                PIC 9(08).
           05  TXN-TIME                PIC 9(06).
           05  TXN-BRANCH              PIC X(04).
           05  TXN-TELLER-ID           PIC X(08).
           05  TXN-CHANNEL             PIC X(01).
               88  TXN-TELLER          VALUE 'T'.
               88  TXN-ATM             VALUE 'A'.
               88  TXN-ONLINE          VALUE 'O'.
           05  FILLER                  PIC X(30).
