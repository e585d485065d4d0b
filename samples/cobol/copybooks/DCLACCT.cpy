      ******************************************************************
      * DCLGEN TABLE(SAVLN.ACCOUNT)                                    *
      *        LIBRARY(SAVLN.PROD.DCLGEN(DCLACCT))                     *
      *        LANGUAGE(COBOL)                                         *
      *        QUOTE                                                   *
      * ... IS THE DCLGEN COMMAND THAT MADE THE FOLLOWING STATEMENTS   *
      ******************************************************************
           EXEC SQL DECLARE SAVLN.ACCOUNT TABLE
           ( ACCT_NO                        CHAR(10) NOT NULL,
             ACCT_TYPE                      CHAR(1) NOT NULL,
             ACCT_STATUS                    CHAR(1) NOT NULL,
             CURR_BALANCE                   DECIMAL(13, 2) NOT NULL,
             AVAIL_BALANCE                  DECIMAL(13, 2) NOT NULL,
             OD_LIMIT                       DECIMAL(9, 2) NOT NULL,
             LAST_TXN_DATE                  DATE
           ) END-EXEC.
      ******************************************************************
      * COBOL DECLARATION FOR TABLE SAVLN.ACCOUNT                      *
      ******************************************************************
       01  DCLACCOUNT.
           10 ACCT-NO              PIC X(10).
           10 ACCT-TYPE            PIC X(1).
           10 ACCT-STATUS          PIC X(1).
           10 CURR-BALANCE         PIC S9(11)V9(2) USAGE COMP-3.
           10 AVAIL-BALANCE        PIC S9(11)V9(2) USAGE COMP-3.
           10 OD-LIMIT             PIC S9(7)V9(2) USAGE COMP-3.
           10 LAST-TXN-DATE        PIC X(10).
      ******************************************************************
      * THE NUMBER OF COLUMNS DESCRIBED BY THIS DECLARATION IS 7       *
      ******************************************************************
