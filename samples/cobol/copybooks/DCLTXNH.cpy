      ******************************************************************
      * DCLGEN TABLE(SAVLN.ACCT_TXN_HIST)                              *
      *        LIBRARY(SAVLN.PROD.DCLGEN(DCLTXNH))                     *
      *        LANGUAGE(COBOL)                                         *
      *        QUOTE                                                   *
      * ... IS THE DCLGEN COMMAND THAT MADE THE FOLLOWING STATEMENTS   *
      ******************************************************************
           EXEC SQL DECLARE SAVLN.ACCT_TXN_HIST TABLE
           ( ACCT_NO                        CHAR(10) NOT NULL,
             TXN_TS                         TIMESTAMP NOT NULL,
             TXN_CODE                       CHAR(2) NOT NULL,
             TXN_AMOUNT                     DECIMAL(11, 2) NOT NULL,
             BRANCH_ID                      CHAR(4) NOT NULL,
             TELLER_ID                      CHAR(8),
             BALANCE_AFTER                  DECIMAL(13, 2) NOT NULL
           ) END-EXEC.
      ******************************************************************
      * COBOL DECLARATION FOR TABLE SAVLN.ACCT_TXN_HIST                *
      ******************************************************************
       01  DCLACCT-TXN-HIST.
           10 HIST-ACCT-NO         PIC X(10).
           10 HIST-TXN-TS          PIC X(26).
           10 HIST-TXN-CODE        PIC X(2).
           10 HIST-TXN-AMOUNT      PIC S9(9)V9(2) USAGE COMP-3.
           10 HIST-BRANCH-ID       PIC X(4).
           10 HIST-TELLER-ID       PIC X(8).
           10 HIST-BALANCE-AFTER   PIC S9(11)V9(2) USAGE COMP-3.
      ******************************************************************
      * THE NUMBER OF COLUMNS DESCRIBED BY THIS DECLARATION IS 7       *
      ******************************************************************
